//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
)

// flock locks f with flock(2), shared or exclusive, without waiting; ok is
// false when another open file holds a lock that stands in the way. The
// lock belongs to the open file: a second open of the same path, even in
// this process, does not share it.
func flock(f *os.File, exclusive bool) (ok bool, err error) {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}
