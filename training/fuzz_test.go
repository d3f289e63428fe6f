package training_test

import (
	"bytes"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/training"
)

// FuzzImportZoom: any report either fails with coded problems and no
// record, or gives records that validate, each provider once, within the
// session's length; no input panics.
func FuzzImportZoom(f *testing.F) {
	f.Add([]byte(zoomReport))
	f.Add([]byte("Name,Email,Join Time,Leave Time\nAna Ruiz,,2026-01-15 09:00,2026-01-15 08:00\n"))
	f.Add([]byte("Name,Join,Leave\n\"x,1\n"))
	w := smallYear()
	c := mustCatalog(f, w)
	dir, err := training.NewDirectory(w.Providers, map[bsk.ProviderID][]string{"p-ana": {"ana@kentfamily.org"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := c.ImportZoom(bytes.NewReader(data), "tr-attach-1", dir, training.ImportOptions{})
		checkImport(t, res, err, 4)
	})
}

// FuzzImportCSV: the same for the project's CSV.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("session_id,provider_id,hours,credit\ntr-attach-1,p-ana,4,training\ncol-m1,p-ana,1.5,\n"))
	f.Add([]byte("session_id,provider_id,hours\ntr-attach-1,p-ana,NaN\n"))
	c := mustCatalog(f, smallYear())
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := c.ImportCSV(bytes.NewReader(data), training.ImportOptions{})
		checkImport(t, res, err, bsk.MaxAttendanceHours)
	})
}

func checkImport(t *testing.T, res training.ImportResult, err error, maxHours float64) {
	t.Helper()
	if err != nil {
		if code := bsk.ErrorCode(err); code == bsk.CodeInternal {
			t.Fatalf("uncoded error %v", err)
		}
		if res.Attendance != nil || res.Rows != 0 {
			t.Fatalf("failed import returned %+v", res)
		}
		return
	}
	type key struct {
		s bsk.SessionID
		p bsk.ProviderID
	}
	seen := map[key]bool{}
	for i, a := range res.Attendance {
		if err := a.Validate(); err != nil {
			t.Fatalf("record %d %+v: %v", i, a, err)
		}
		if a.Hours > maxHours {
			t.Fatalf("record %d: %g hours, above %g", i, a.Hours, maxHours)
		}
		k := key{a.SessionID, a.ProviderID}
		if seen[k] {
			t.Fatalf("record %d: %v twice", i, k)
		}
		seen[k] = true
	}
}
