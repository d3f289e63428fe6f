// Command flaky is a test plug-in whose process kills itself with SIGKILL
// in the middle of a call when it is asked about an applicant named
// "crash", the first time only (it leaves a marker file, given by -marker,
// so that the restarted process answers normally). Otherwise every
// applicant is eligible.
package main

import (
	"flag"
	"os"
	"syscall"

	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

func main() {
	marker := flag.String("marker", "", "file whose absence makes the plug-in die on the applicant named crash")
	flag.Parse()
	rule := scholarship.Each(scholarship.RuleInfo{Name: "flaky", Version: "1.0.0", Description: "dies once on the applicant named crash"},
		func(a scholarship.Application) []scholarship.Reason {
			if a.Applicant.Name == "crash" {
				if _, err := os.Stat(*marker); os.IsNotExist(err) {
					os.WriteFile(*marker, []byte("died once\n"), 0o600)
					syscall.Kill(os.Getpid(), syscall.SIGKILL)
				}
			}
			return nil
		})
	plugins.Serve(plugins.Plugin{Name: "flaky", Version: "1.0.0", Agency: "Test Agency",
		Handlers: []plugins.Handler{plugins.Eligibility(scholarship.RuleInfo{}, rule)}})
}
