//go:build unix

package plugins_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// TestPythonPlugin runs a plug-in written in Python against the same host,
// proving the contract language-neutral. It needs Debian's python3-grpcio,
// python3-protobuf and python3-cryptography in /usr/bin/python3.
func TestPythonPlugin(t *testing.T) {
	if err := exec.Command("/usr/bin/python3", "-c", "import grpc, google.protobuf, cryptography").Run(); err != nil {
		t.Skip("/usr/bin/python3 lacks grpc, protobuf or cryptography (apt-get install python3-grpcio python3-protobuf python3-cryptography)")
	}
	path, _ := filepath.Abs("examples/python/minhours.py")
	sum, err := plugins.Checksum(path)
	if err != nil {
		t.Fatal(err)
	}
	c := open(t, plugins.Entry{Agency: "Example Python Agency", Name: "minhours", Path: path, SHA256: sum, Args: []string{"25"}, Enabled: true}, testOptions(nil))
	if info := c.Info(); info.Version != "1.0.0" || len(info.Rules) != 1 || info.Rules[0].Description != "at least 25 hours a week" {
		t.Errorf("Info() = %+v", info)
	}
	r, err := plugins.NewRule(c, "agency_minimum_hours", func(a scholarship.Application) string { return a.ID })
	if err != nil {
		t.Fatal(err)
	}
	apps := []scholarship.Application{
		{ID: "a-1", Applicant: scholarship.Applicant{HoursPerWeek: 40}},
		{ID: "a-2", Applicant: scholarship.Applicant{HoursPerWeek: 12.5}},
	}
	res, err := r.Check(context.Background(), apps)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || len(res[0]) != 0 || len(res[1]) != 1 {
		t.Fatalf("Check = %+v", res)
	}
	got := res[1][0]
	if got.Code != "agency_hours_short" || got.Outcome != scholarship.Ineligible || got.Params["hours"] != "12.5" || got.Params["required"] != "25" {
		t.Errorf("reason = %+v", got)
	}
}
