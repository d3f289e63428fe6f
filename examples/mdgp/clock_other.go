//go:build !unix

package main

import (
	"context"
	"errors"
	"time"
)

// cpuLimit is unavailable without getrusage.
func cpuLimit(parent context.Context, limit time.Duration) (context.Context, context.CancelFunc, error) {
	return nil, nil, errors.New("-clock cpu needs a Unix system")
}
