//go:build !linux

package plugins

import "os/exec"

// setParentDeathSignal does nothing outside Linux; there the plug-in's own
// parent watch (see [Serve]) ends an orphaned plug-in.
func setParentDeathSignal(*exec.Cmd) {}
