package app

import (
	"context"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// RunLimits bound the grouping runs that run at once (see
// [service.RunLimits]).
type RunLimits = service.RunLimits

// errCancelled is the cause of a job's context when the job was cancelled
// (see [service.ErrCancelled]).
var errCancelled = service.ErrCancelled

// jobs starts the survey imports on the services' job runner
// ([service.Jobs]), which recovers a panic in an import into its record
// (see importPanicked); grouping runs are the grouping service's own jobs.
type jobs struct{ a *App }

// start runs fn in the background; it reports false when the server is
// closing.
func (j jobs) start(id string, fn func(ctx context.Context)) bool {
	return j.a.svc.Jobs.Start(id, fn, func(e *bsk.Error) { j.a.importPanicked(id, e) })
}

// importPanicked marks a survey import whose job panicked failed, with e,
// an error that names no internal detail (the panic is in the log).
func (a *App) importPanicked(id string, e *bsk.Error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	imp, err := a.loadImport(ctx, id)
	if err == nil {
		now := time.Now().UTC()
		imp.Status, imp.FinishedAt, imp.Report = RunFailed, &now, nil
		imp.Problems = []Problem{{Message: e.Message}}
		err = a.saveImport(ctx, imp, false)
	}
	if err != nil {
		a.log.Error().Err(err).Str("job", id).Msg("marking a panicked survey import failed")
	}
	a.importRows.Delete(id)
}
