package survey_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// checkImport holds for any import: a failed import returns no set and a
// coded error whose problems all name a field; a good one holds exactly
// the rows reported imported, and can be estimated.
func checkImport(t *testing.T, s *survey.Set, rep survey.ImportReport, err error, skip bool) {
	t.Helper()
	if err != nil {
		if s != nil {
			t.Fatal("a failed import returned a set")
		}
		if code := bsk.ErrorCode(err); code == bsk.CodeInternal || code == "" {
			t.Fatalf("error without a code: %v", err)
		}
		var list bsk.Errors
		if errors.As(err, &list) {
			for _, e := range list {
				if e.Field == "" && !strings.HasPrefix(e.Message, "stopped after") {
					t.Fatalf("problem without a field: %v", e)
				}
			}
		}
		return
	}
	if s.Len() != rep.Imported || rep.Imported+len(rep.Skipped) != rep.Rows {
		t.Fatalf("len %d, report %+v", s.Len(), rep)
	}
	if !skip && len(rep.Skipped) > 0 {
		t.Fatalf("rows skipped without SkipBadRows: %+v", rep.Skipped)
	}
	if _, err := s.Estimate(survey.Query{Breakdowns: [][]survey.Dimension{{survey.ByRace, survey.ByPlace}, {survey.ByRaceDetail, survey.ByPlace}, {survey.ByRace1997, survey.ByEthnicity1997}}}); err != nil {
		t.Fatal(err)
	}
}

// FuzzImportCSV: any input gives a set or a coded error, never a panic,
// for a weighted and an unweighted instrument. Seeds: testdata/fuzz.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte(goodCSV))
	f.Add([]byte("respondent_id,useful\nr1,5\nr1,4\n"))
	f.Add([]byte("respondent_id,weight,useful,topics\nr1,1,5,rs;rs\n"))
	f.Add([]byte("\ufeffrespondent_id,useful\n\"r1,5\n"))
	f.Add([]byte("respondent_id,weight,stratum,cluster,stratum_size,hispanic_latino,race,useful\nr1,1,a,c1,2,yes,white,5\nr2,2,a,c2,2,no,,4\nr3,1,b,,0,,middle_eastern_north_african,3\n"))
	plain, weighted := trainingInstrument(false), trainingInstrument(true)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range []survey.Instrument{plain, weighted} {
			for _, skip := range []bool{false, true} {
				s, rep, err := survey.ImportCSV(bytes.NewReader(data), in, survey.ImportOptions{SkipBadRows: skip})
				checkImport(t, s, rep, err, skip)
			}
		}
	})
}

// FuzzImportREDCap fuzzes the data dictionary and the records export
// together. Seeds: testdata/fuzz and a real export.
func FuzzImportREDCap(f *testing.F) {
	dict, err := os.ReadFile("testdata/redcap/checkboxes-1/dictionary.csv")
	if err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile("testdata/redcap/checkboxes-1/data.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(dict, data)
	f.Add(dict, []byte("record_id,check_one___1\n1,2\n"))
	f.Add([]byte(strings.SplitN(string(dict), "\n", 2)[0]+"\nrecord_id,f,,text,ID,,,,,,,,,,,,,\nq,f,,radio,Q,\"1, A|2, B\",,,,,,,,,,,,\n"), []byte("record_id,q\n1,1\n2,UNK\n"))
	f.Fuzz(func(t *testing.T, dictionary, records []byte) {
		d, err := survey.ParseREDCapDictionary(bytes.NewReader(dictionary), "fuzz")
		if err != nil {
			if d != nil {
				t.Fatal("a failed dictionary returned a dictionary")
			}
			if code := bsk.ErrorCode(err); code == bsk.CodeInternal || code == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		if err := d.Instrument.Validate(); err != nil {
			t.Fatalf("a parsed dictionary gives an invalid instrument: %v", err)
		}
		for _, skip := range []bool{false, true} {
			s, rep, err := survey.ImportREDCap(bytes.NewReader(records), d, survey.REDCapOptions{ImportOptions: survey.ImportOptions{SkipBadRows: skip}})
			checkImport(t, s, rep, err, skip)
		}
	})
}
