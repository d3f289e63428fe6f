package app

import "github.com/beststarts/workforce/examples/server/internal/service"

// RunLimits bound the grouping runs that run at once (see
// [service.RunLimits]).
type RunLimits = service.RunLimits
