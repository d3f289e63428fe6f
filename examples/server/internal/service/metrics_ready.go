package service

import "context"

// ReadyCheck is one part of the server's readiness: the database or one
// plug-in of the catalog, by name and status only (never a path, a
// checksum or an error's text: readiness answers anyone).
type ReadyCheck struct {
	// Name is "database" or "plugin NAME".
	Name string `json:"name"`
	// Status is "ok" or "unavailable" for the database; "running",
	// "down" (it does not answer), "restarting" (it crashed or did not
	// start, and is launched again after a backoff), "refused" (its binary
	// is missing or fails its checksum; retried) or
	// "disabled" for a plug-in.
	Status string `json:"status"`
	// OK is false for a part that is down.
	OK bool `json:"-"`
}

// Readiness checks the database and pings each enabled plug-in of the
// catalog, within ctx. A disabled plug-in is not a failure; a plug-in
// that did not start or does not answer is.
func (s *Services) Readiness(ctx context.Context) []ReadyCheck {
	checks := []ReadyCheck{{Name: "database", Status: "ok", OK: true}}
	if err := s.Ready(ctx); err != nil {
		checks[0].Status, checks[0].OK = "unavailable", false
	}
	checks = append(checks, s.Plugins.host.readiness(ctx)...)
	return checks
}
