//go:build unix

package plugins_test

import (
	"context"
	"encoding/json"
	"os"
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
	want := "Trabaja 12.5 horas por semana; esta agencia apoya al personal que trabaja al menos 25."
	if text := r.Texts().Text(got, scholarship.SpanishText); text != want {
		t.Errorf("Spanish text = %q; want %q", text, want)
	}
}

// TestPythonPayloadsMatchSchemas checks the Python plug-in's Info, its
// answer to a request as the host sends it, and its error answer against
// the JSON Schemas under schema/, with Python's jsonschema: the schemas
// are the contract for authors in any language.
func TestPythonPayloadsMatchSchemas(t *testing.T) {
	if err := exec.Command("/usr/bin/python3", "-c", "import grpc, google.protobuf, cryptography, jsonschema").Run(); err != nil {
		t.Skip("/usr/bin/python3 lacks grpc, protobuf, cryptography or jsonschema (apt-get install python3-grpcio python3-protobuf python3-cryptography python3-jsonschema)")
	}
	input, err := json.Marshal(plugins.CheckInput[scholarship.Application]{Subjects: []scholarship.Application{
		{ID: "a-1", ProgramID: "esit", CycleID: "2026", Applicant: scholarship.Applicant{PersonID: "p-1", Name: "Ana", HoursPerWeek: 40}, Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 150000}},
		{ID: "a-2", ProgramID: "esit", CycleID: "2026", Applicant: scholarship.Applicant{PersonID: "p-2", Name: "Yan", HoursPerWeek: 12.5}, Requested: map[scholarship.Category]scholarship.Cents{scholarship.Books: 20000}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	req, err := json.Marshal(plugins.Request{Kind: plugins.KindEligibility, Rule: "agency_minimum_hours", Input: input})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "request.json")
	if err := os.WriteFile(file, req, 0o600); err != nil {
		t.Fatal(err)
	}
	schemas, _ := filepath.Abs("../schema")
	out, err := exec.Command("/usr/bin/python3", "examples/python/check_payloads.py", schemas, file).CombinedOutput()
	if err != nil {
		t.Errorf("check_payloads.py: %v\n%s", err, out)
	}
}
