package service

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// decisionKey is the secret that keys decision records' inputs hashes:
// <data dir>/decision.key, 32 random bytes, readable by the server's user
// only, made on first need and kept across restarts (PostgreSQL
// deployments keep it in the data directory too). It never appears in a
// response or a log line.
type decisionKey struct {
	path string
	log  zerolog.Logger

	mu  sync.Mutex
	key []byte
}

func newDecisionKey(data string, log zerolog.Logger) *decisionKey {
	return &decisionKey{path: filepath.Join(data, "decision.key"), log: log}
}

// get returns the deployment's decision key, creating its file on first
// need.
func (k *decisionKey) get() ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, nil
	}
	key, err := readKey(k.path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = scholarship.NewHashKey()
		if err == nil {
			err = writeKey(k.path, key)
		}
		if errors.Is(err, fs.ErrExist) {
			// Another process made it first: use that one.
			key, err = readKey(k.path)
		}
		if err == nil {
			k.log.Info().Str("file", k.path).Msg("created the decision key")
		}
	}
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "the decision key: %w", err)
	}
	k.key = key
	return key, nil
}

func readKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(key) != scholarship.HashKeySize {
		return nil, fmt.Errorf("decision key %s holds %d bytes; want %d", path, len(key), scholarship.HashKeySize)
	}
	return key, nil
}

// writeKey creates the key file, failing if it exists, and syncs it so
// that a crash cannot leave a key that signed records but was lost.
func writeKey(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(key); err != nil {
		return errors.Join(err, f.Close(), os.Remove(path))
	}
	if err := f.Sync(); err != nil {
		return errors.Join(err, f.Close(), os.Remove(path))
	}
	return f.Close()
}
