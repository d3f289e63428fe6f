package plugins

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal asks the kernel to kill the plug-in when the host
// dies, even by SIGKILL, so that no plug-in outlives its host.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
