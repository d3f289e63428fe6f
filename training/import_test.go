package training_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/training"
)

func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var list bsk.Errors
	if !errors.As(err, &list) {
		t.Fatalf("error %v is %T; want bsk.Errors", err, err)
	}
	var out []string
	for _, e := range list {
		out = append(out, string(e.Code)+" "+e.Field)
	}
	return out
}

func TestImportCSV(t *testing.T) {
	c := mustCatalog(t, smallYear())
	good := "session_id,provider_id,hours,credit\ntr-attach-1,p-ana,4,training\ncol-m1,p-ana,1.5,\ncol-q1,p-cara,3,training\n"
	res, err := c.ImportCSV(strings.NewReader("\ufeff"+good), training.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []bsk.Attendance{
		{SessionID: "tr-attach-1", ProviderID: "p-ana", Hours: 4, Credit: bsk.CreditTraining},
		{SessionID: "col-m1", ProviderID: "p-ana", Hours: 1.5, Credit: bsk.CreditReflective},
		{SessionID: "col-q1", ProviderID: "p-cara", Hours: 3, Credit: bsk.CreditTraining},
	}
	if diff := cmp.Diff(want, res.Attendance); diff != "" || res.Rows != 3 {
		t.Errorf("%d rows; attendance (-want +got):\n%s", res.Rows, diff)
	}
	bad := good +
		"tr-attach-1,p-ghost,4,\n" + // line 5: unknown provider
		"tr-attach-1,p-ana,4,\n" + // line 6: duplicate of line 2
		"tr-attach-9,p-binh,x,\n" + // line 7: unknown session, hours not a number
		"col-m1,p-binh,1.5,training\n" + // line 8: not the session's credit
		"tr-attach-2,p-binh,25,\n" // line 9: hours out of range
	res, err = c.ImportCSV(strings.NewReader(bad), training.ImportOptions{})
	wantF := []string{"not_found rows[5].provider_id", "conflict rows[6].provider_id", "not_found rows[7].session_id",
		"invalid rows[7].hours", "invalid rows[8].credit", "invalid rows[9].hours"}
	if diff := cmp.Diff(wantF, fieldsOf(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if res.Attendance != nil || res.Rows != 0 {
		t.Errorf("a failed import returned %+v; want nothing", res)
	}
	for _, in := range []string{"", "session_id,hours\n", "session_id,provider_id,hours\n\"x,1\n"} {
		if _, err := c.ImportCSV(strings.NewReader(in), training.ImportOptions{}); bsk.ErrorCode(err) != bsk.CodeInvalid {
			t.Errorf("ImportCSV(%q) = %v; want invalid", in, err)
		}
	}
}

// TestImportAllOrNothing puts one bad row at a random place of a large good
// file: the import fails, names that row, and returns no record.
func TestImportAllOrNothing(t *testing.T) {
	w := programYear(3, 400)
	c := mustCatalog(t, w)
	rng := rand.New(rand.NewPCG(3, 3))
	var lines []string
	for _, a := range w.Attendance[:3000] {
		lines = append(lines, fmt.Sprintf("%s,%s,%g", a.SessionID, a.ProviderID, a.Hours))
	}
	ok, err := c.ImportCSV(strings.NewReader("session_id,provider_id,hours\n"+strings.Join(lines, "\n")), training.ImportOptions{})
	if err != nil || len(ok.Attendance) != 3000 {
		t.Fatalf("good file: %d records, %v", len(ok.Attendance), err)
	}
	breakers := []func(i int) string{
		func(i int) string { return strings.Replace(lines[i], ",prov-", ",nobody-", 1) },
		func(i int) string { return lines[i][:strings.LastIndexByte(lines[i], ',')] + ",-1" },
		func(i int) string { return lines[(i+1)%len(lines)] },
	}
	for trial := range 30 {
		i := rng.IntN(len(lines))
		bad := append([]string(nil), lines...)
		bad[i] = breakers[trial%len(breakers)](i)
		if bad[i] == lines[i] {
			continue
		}
		res, err := c.ImportCSV(strings.NewReader("session_id,provider_id,hours\n"+strings.Join(bad, "\n")), training.ImportOptions{})
		if err == nil || res.Attendance != nil {
			t.Fatalf("trial %d: row %d broken, import returned %d records, %v", trial, i+2, len(res.Attendance), err)
		}
		f := fieldsOf(t, err)
		line := i + 2
		if trial%3 == 2 {
			// Row i now repeats row i+1: the later of the two is named.
			if i+1 == len(lines) {
				continue
			}
			line = i + 3
		}
		if !strings.Contains(strings.Join(f, " "), fmt.Sprintf("rows[%d].", line)) {
			t.Errorf("trial %d: problems %v do not name row %d", trial, f, line)
		}
	}
}

const zoomReport = `Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,IECMH training: Attachment,01/15/2026 08:55:01 AM,01/15/2026 01:05:10 PM,host@example.org,250,5

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent
Ana Ruiz,ana@kentfamily.org,01/15/2026 08:58:12 AM,01/15/2026 10:31:40 AM,94,No,Y
Ana Ruiz,ana@kentfamily.org,01/15/2026 10:35:02 AM,01/15/2026 01:01:00 PM,146,No,Y
Binh Tran (he/him),,01/15/2026 09:00:00 AM,01/15/2026 01:00:00 PM,240,Yes,Y
iPhone de Dee,dee.park@vashon.org,01/15/2026 09:05:00 AM,01/15/2026 11:00:00 AM,115,No,Y
dee park,,01/15/2026 10:30:00 AM,01/15/2026 12:00:00 PM,90,Yes,Y
Trainer Guest,trainer@example.org,01/15/2026 08:55:01 AM,01/15/2026 01:05:10 PM,251,Yes,Y
`

func TestImportZoom(t *testing.T) {
	c := mustCatalog(t, smallYear())
	w := smallYear()
	dir, err := training.NewDirectory(w.Providers, map[bsk.ProviderID][]string{"p-ana": {"Ana@KentFamily.org"}, "p-dee": {"dee.park@vashon.org"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.ImportZoom(strings.NewReader(zoomReport), "tr-attach-1", dir, training.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Times are 09:00-13:00 local; Ana's two joins cover 93.47 + 145.97
	// minutes = 239 after rounding; Binh's name matches without "(he/him)";
	// Dee's email on one row and name on the other, overlapping, cover
	// 09:05-12:00 = 175 minutes.
	want := []bsk.Attendance{
		{SessionID: "tr-attach-1", ProviderID: "p-ana", Hours: 239.0 / 60, Credit: bsk.CreditTraining},
		{SessionID: "tr-attach-1", ProviderID: "p-binh", Hours: 4, Credit: bsk.CreditTraining},
		{SessionID: "tr-attach-1", ProviderID: "p-dee", Hours: 175.0 / 60, Credit: bsk.CreditTraining},
	}
	if diff := cmp.Diff(want, res.Attendance); diff != "" {
		t.Errorf("attendance (-want +got):\n%s", diff)
	}
	if res.Rows != 6 || res.Merged != 2 {
		t.Errorf("rows %d, merged %d; want 6 and 2", res.Rows, res.Merged)
	}
	wantU := []training.Unmatched{{Row: 10, Name: "Trainer Guest", Email: "trainer@example.org", Minutes: 610.15 - 360, Code: training.CodeNoMatch}}
	if diff := cmp.Diff(wantU, res.Unmatched, cmpApprox); diff != "" {
		t.Errorf("unmatched (-want +got):\n%s", diff)
	}
	// A session's length bounds the hours: 4 h, even for the host's 250 minutes.
	dir2, _ := training.NewDirectory(w.Providers, map[bsk.ProviderID][]string{"p-fay": {"trainer@example.org"}})
	res, _ = c.ImportZoom(strings.NewReader(zoomReport), "tr-attach-1", dir2, training.ImportOptions{})
	for _, a := range res.Attendance {
		if a.ProviderID == "p-fay" && a.Hours != 4 {
			t.Errorf("p-fay: %g hours; want the session's 4", a.Hours)
		}
	}
}

var cmpApprox = cmp.Comparer(func(a, b float64) bool { return a-b < 0.01 && b-a < 0.01 })

func TestImportZoomProblems(t *testing.T) {
	c := mustCatalog(t, smallYear())
	dir, _ := training.NewDirectory(smallYear().Providers, nil)
	head := "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
	in := head +
		"Ana Ruiz,,01/15/2026 09:00:00 AM,01/15/2026 10:00:00 AM,60\n" +
		"Ana Ruiz,,01/15/2026 11:00:00 AM,01/15/2026 10:00:00 AM,60\n" + // line 3: leave before join
		"Ana Ruiz,,01/15/2026 09:00:00 AM,01/15/2026 10:00:00 AM,60\n" + // line 4: the same row as line 2
		"Binh Tran,,yesterday,01/15/2026 10:00:00 AM,sixty\n" // line 5: join and duration
	res, err := c.ImportZoom(strings.NewReader(in), "tr-attach-1", dir, training.ImportOptions{})
	want := []string{"invalid rows[3].leave_time", "conflict rows[4].join_time", "invalid rows[5].join_time", "invalid rows[5].duration"}
	if diff := cmp.Diff(want, fieldsOf(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if res.Attendance != nil {
		t.Errorf("a failed import returned %d records", len(res.Attendance))
	}
	if _, err := c.ImportZoom(strings.NewReader(head), "nope", dir, training.ImportOptions{}); bsk.ErrorCode(err) != bsk.CodeNotFound {
		t.Errorf("unknown session: %v; want not found", err)
	}
	if _, err := c.ImportZoom(strings.NewReader("a,b\n1,2\n"), "tr-attach-1", dir, training.ImportOptions{}); bsk.ErrorCode(err) != bsk.CodeInvalid {
		t.Errorf("no header: %v; want invalid", err)
	}
	// Two providers of one name, no email: listed for review, not guessed.
	w := smallYear()
	w.Providers[5].Name = "Ana Ruiz"
	dir, _ = training.NewDirectory(w.Providers, nil)
	res, err = c.ImportZoom(strings.NewReader(head+"Ana Ruiz,,01/15/2026 09:00:00 AM,01/15/2026 10:00:00 AM,60\n"), "tr-attach-1", dir, training.ImportOptions{})
	if err != nil || len(res.Attendance) != 0 || len(res.Unmatched) != 1 || res.Unmatched[0].Code != training.CodeAmbiguousName {
		t.Errorf("ambiguous name: %+v, %v; want one row listed as ambiguous_name", res, err)
	}
	// Directory problems.
	_, err = training.NewDirectory(w.Providers, map[bsk.ProviderID][]string{"p-ana": {"x@y.org"}, "p-binh": {"X@y.org"}, "ghost": {"g@y.org"}})
	if diff := cmp.Diff([]string{"not_found emails.ghost", "conflict emails.p-binh[0]"}, fieldsOf(t, err)); diff != "" {
		t.Errorf("directory problems (-want +got):\n%s", diff)
	}
}
