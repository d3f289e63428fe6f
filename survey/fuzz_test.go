package survey_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/beststarts/workforce/survey"
)

// FuzzImportCSV: any input gives a set or an error, never a panic, and a
// set holds exactly the rows reported imported.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte(goodCSV))
	f.Add([]byte("respondent_id,useful\nr1,5\nr1,4\n"))
	f.Add([]byte("respondent_id,weight,useful,topics\nr1,1,5,rs;rs\n"))
	f.Add([]byte("\ufeffrespondent_id,useful\n\"r1,5\n"))
	in := trainingInstrument(false)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, skip := range []bool{false, true} {
			s, rep, err := survey.ImportCSV(bytes.NewReader(data), in, survey.ImportOptions{SkipBadRows: skip})
			if err != nil {
				if s != nil {
					t.Fatal("a failed import returned a set")
				}
				continue
			}
			if s.Len() != rep.Imported || rep.Imported+len(rep.Skipped) != rep.Rows {
				t.Fatalf("len %d, report %+v", s.Len(), rep)
			}
			if _, err := s.Estimate(survey.Query{Breakdowns: [][]survey.Dimension{{survey.ByRace, survey.ByPlace}}}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzImportREDCap fuzzes the data dictionary and the records export.
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
			return
		}
		s, rep, err := survey.ImportREDCap(bytes.NewReader(records), d, survey.REDCapOptions{})
		if err != nil {
			if s != nil {
				t.Fatal("a failed import returned a set")
			}
			return
		}
		if s.Len() != rep.Imported {
			t.Fatalf("len %d, report %+v", s.Len(), rep)
		}
	})
}
