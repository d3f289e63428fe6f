package training_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/training"
)

// benchYear is the benchmarks' program year: 2,000 providers, 12 monthly
// trainings of up to 125, 97 reflective consultation groups meeting
// monthly, a community of leaders and a certificate cohort.
var benchYear = sync.OnceValue(func() bsk.Workforce { return programYear(2026, 2000) })

func BenchmarkTranscript(b *testing.B) {
	w := benchYear()
	c := mustCatalog(b, w)
	who := w.Attendance[len(w.Attendance)/2].ProviderID
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Transcript(w.Attendance, who); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(w.Attendance)), "rows")
}

func BenchmarkReach(b *testing.B) {
	w := benchYear()
	c := mustCatalog(b, w)
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Reach(w.Attendance, training.ReachOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProgressAll(b *testing.B) {
	w := benchYear()
	c := mustCatalog(b, w)
	asOf := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Progress(context.Background(), w.Attendance, nil, asOf, scholarship.ProgressOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportZoom reads a participants report of 50,000 rows (2,000
// participants joining 25 times each) and reports rows a second.
func BenchmarkImportZoom(b *testing.B) {
	w := benchYear()
	c := mustCatalog(b, w)
	emails := map[bsk.ProviderID][]string{}
	for _, p := range w.Providers {
		emails[p.ID] = []string{string(p.ID) + "@example.org"}
	}
	dir, err := training.NewDirectory(w.Providers, emails)
	if err != nil {
		b.Fatal(err)
	}
	s := w.Sessions[0]
	var buf bytes.Buffer
	buf.WriteString("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n")
	const joins = 25
	rows := 0
	for k := range joins {
		for i, p := range w.Providers {
			if i >= 2000 {
				break
			}
			join := s.Starts.Add(time.Duration(k*9) * time.Minute)
			leave := join.Add(8 * time.Minute)
			fmt.Fprintf(&buf, "%s,%s@example.org,%s,%s,8,No\n", p.Name, p.ID, join.Format("01/02/2006 03:04:05 PM"), leave.Format("01/02/2006 03:04:05 PM"))
			rows++
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		res, err := c.ImportZoom(bytes.NewReader(data), s.ID, dir, training.ImportOptions{})
		if err != nil || res.Rows != rows {
			b.Fatalf("%d rows, %v", res.Rows, err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
