package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/training"
)

// sender sends one request of the program-year walk-through, fails the
// test unless it answers want, and returns the answer's body: the plain
// server, or the contract test's check (TestOpenAPIResponses).
type sender func(method, path, key string, body any, want int) []byte

// TestProgramYear walks a program year over HTTP on every backend: a
// reflective consultation run whose consultants are checked, published as
// groups with a year of monthly sessions, a consultant's attendance and
// its invoice (CSV and Excel), a re-grouping mid-year, a community of
// practice too small to open, and the month's calendar.
func TestProgramYear(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, true)
			programYearWalk(t, s, func(method, path, key string, body any, want int) []byte {
				t.Helper()
				return s.expect(want, method, path, key, body).Body
			})
		})
	}
}

func decodeJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decoding %.300s: %v", b, err)
	}
}

func programYearWalk(t *testing.T, s *server, send sender) {
	const v1, py = "/api/v1", "/api/v1/program-year"
	admin := s.Admin
	coord := s.key("coordinator", "", "")

	// 1. Leader requirements: consultants 01 and 02 completed the
	// Reflective Practice training (4 h) and intergroup dialogue (8 x
	// 1.5 h); consultant 03 only the training.
	rp := bsk.Offering{ID: "py-rp", Kind: bsk.OfferingTraining, Title: "Reflective Practice training", Topic: "Reflective practice",
		Strategy: bsk.StrategyIECMH, Language: bsk.English, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 240}
	igd := bsk.Offering{ID: "py-igd", Kind: bsk.OfferingIntergroupDialogue, Title: "Intergroup dialogue for consultants",
		Strategy: bsk.StrategyIECMH, Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90}
	send("POST", v1+"/offerings", admin, rp, 201)
	send("POST", v1+"/offerings", admin, igd, 201)
	send("POST", v1+"/sessions", admin, bsk.Session{ID: "py-rp-s1", OfferingID: rp.ID, Starts: time.Date(2025, 10, 1, 16, 0, 0, 0, time.UTC), Minutes: 240}, 201)
	for _, c := range []bsk.ProviderID{"consultant-01", "consultant-02", "consultant-03"} {
		send("POST", v1+"/attendance", admin, bsk.Attendance{SessionID: "py-rp-s1", ProviderID: c, Hours: 4, Credit: bsk.CreditTraining}, 201)
	}
	for i := range 8 {
		id := bsk.SessionID(fmt.Sprintf("py-igd-s%d", i+1))
		send("POST", v1+"/sessions", admin, bsk.Session{ID: id, OfferingID: igd.ID, Starts: time.Date(2025, time.Month(i+1), 5, 17, 0, 0, 0, time.UTC), Minutes: 90}, 201)
		for _, c := range []bsk.ProviderID{"consultant-01", "consultant-02"} {
			send("POST", v1+"/attendance", admin, bsk.Attendance{SessionID: id, ProviderID: c, Hours: 1.5, Credit: bsk.CreditTraining}, 201)
		}
	}

	// 2. A reflective consultation run of three agencies' staff: only the
	// two consultants who meet the requirements lead.
	var rc app.RCRun
	decodeJSON(t, send("POST", py+"/rc-runs", coord, app.RCRunRequest{RequireLeaderTraining: true, Run: app.GroupingRunRequest{
		Preset: grouping.ReflectiveConsultationPreset, OrganizationIDs: []string{"org-001", "org-002", "org-003"}, TimeLimitSeconds: 1, Seed: 7}}, 202), &rc)
	if len(rc.NotEligible) != 18 {
		t.Fatalf("%d consultants left out; want 18 (all but 01 and 02)", len(rc.NotEligible))
	}
	c03 := rc.NotEligible[slices.IndexFunc(rc.NotEligible, func(l app.IneligibleLeader) bool { return l.ID == "consultant-03" })]
	if len(c03.Reasons) != 1 || c03.Reasons[0].Params["requirement"] != "intergroup_dialogue" || c03.Reasons[0].Text != "Has not yet completed intergroup dialogue: 0 of 12 hours." {
		t.Errorf("consultant-03's reasons = %+v; want intergroup dialogue, 0 of 12 hours", c03.Reasons)
	}
	run := waitFinished(t, s, admin, rc.Run.ID)
	if run.Status != app.RunDone {
		t.Fatalf("run %s: %+v", run.Status, run.Error)
	}
	var led []int
	for gi, l := range run.Leaders {
		if l != "" && l != "consultant-01" && l != "consultant-02" {
			t.Errorf("group %d is led by %s, who has not met the leader requirements", gi, l)
		}
		if l != "" {
			led = append(led, gi)
		}
	}
	if len(led) == 0 {
		t.Fatalf("no group has a consultant: %+v", run.Unled)
	}

	// 3. Publish it for 2026, and a run of a fourth agency without
	// consultants: its groups are unled.
	var pub app.Publication
	decodeJSON(t, send("POST", py+"/rc-runs/"+run.ID+"/publish", coord, app.PublishRequest{From: "2026-01", Holidays: []string{"2026-11-26"}}, 201), &pub)
	send("POST", py+"/rc-runs/"+run.ID+"/publish", coord, app.PublishRequest{From: "2026-01"}, http.StatusConflict)
	groups := run.Solution.Groups
	nonEmpty := 0
	for gi, ms := range groups {
		if len(ms) > 0 {
			nonEmpty++
		} else if gi < len(pub.Offerings) && pub.Offerings[gi] != "" {
			t.Errorf("empty group %d has offering %s", gi, pub.Offerings[gi])
		}
	}
	if len(pub.Offerings) != len(groups) || pub.Sessions != 12*nonEmpty {
		t.Fatalf("publication: %d offerings, %d sessions; want %d and %d", len(pub.Offerings), pub.Sessions, len(groups), 12*nonEmpty)
	}
	var bare app.GroupingRun
	s.expect(202, "POST", v1+"/grouping-runs", admin, app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset,
		OrganizationIDs: []string{"org-004", "org-005", "org-006"}, NoLeaders: true, TimeLimitSeconds: 0.5}).json(t, &bare)
	bare = waitFinished(t, s, admin, bare.ID)
	var bpub app.Publication
	decodeJSON(t, send("POST", py+"/rc-runs/"+bare.ID+"/publish", admin, app.PublishRequest{From: "2026-01", Months: 3}, 201), &bpub)
	bareGroups := slices.DeleteFunc(slices.Clone(bare.Solution.Groups), func(ms []grouping.MemberID) bool { return len(ms) == 0 })
	if len(bpub.Unled) != len(bareGroups) || len(bpub.Unled) == 0 {
		t.Fatalf("the run without consultants published %d unled groups; it has %d with members", len(bpub.Unled), len(bareGroups))
	}

	// Every group's offering has its consultant, its twelve sessions and
	// its members enrolled from January.
	enrolled := func(key, offering string) []app.Enrolment {
		t.Helper()
		var l app.EnrolmentList
		decodeJSON(t, send("GET", py+"/enrolments?offering_id="+offering, key, nil, 200), &l)
		return l.Items
	}
	for gi, members := range groups {
		if len(members) == 0 {
			continue
		}
		var off bsk.Offering
		s.expect(200, "GET", v1+"/offerings/"+string(pub.Offerings[gi]), admin, nil).json(t, &off)
		if off.Kind != bsk.OfferingReflectiveConsultation || (run.Leaders[gi] == "") != (len(off.Leaders) == 0) ||
			(len(off.Leaders) == 1 && string(off.Leaders[0]) != run.Leaders[gi]) {
			t.Errorf("group %d's offering: kind %s, leaders %v; want reflective consultation led by %q", gi, off.Kind, off.Leaders, run.Leaders[gi])
		}
		var sess app.Page[bsk.Session]
		s.expect(200, "GET", v1+"/sessions?limit=100&parent="+string(off.ID), admin, nil).json(t, &sess)
		if len(sess.Items) != 12 || sess.Items[0].Minutes != 90 {
			t.Errorf("group %d: %d sessions; want 12 of 90 minutes", gi, len(sess.Items))
		}
		var got []string
		for _, e := range enrolled(admin, string(off.ID)) {
			got = append(got, string(e.ProviderID))
		}
		want := make([]string, len(members))
		for i, m := range members {
			want[i] = string(m)
		}
		slices.Sort(got)
		slices.Sort(want)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("group %d's enrolments (-members +enrolled)\n%s", gi, d)
		}
	}

	// An agency sees only its own staff's enrolments.
	agency := s.key("agency", "org-001", "")
	own := map[bsk.ProviderID]bool{}
	for _, p := range staffOf(t, s, "org-001") {
		own[p.ID] = true
	}
	var all, mine app.EnrolmentList
	decodeJSON(t, send("GET", py+"/enrolments", admin, nil, 200), &all)
	decodeJSON(t, send("GET", py+"/enrolments", agency, nil, 200), &mine)
	wantMine := slices.DeleteFunc(slices.Clone(all.Items), func(e app.Enrolment) bool { return !own[e.ProviderID] })
	if len(wantMine) == 0 || !cmp.Equal(wantMine, mine.Items) {
		t.Errorf("org-001 sees %d enrolments; want its own staff's %d of %d", len(mine.Items), len(wantMine), len(all.Items))
	}

	// 4. The group's consultant records January's attendance; nobody else
	// can, and only members count.
	g := led[0]
	leader := run.Leaders[g]
	consultant := s.key("consultant", "", leader)
	var jan app.Page[bsk.Session]
	s.expect(200, "GET", v1+"/sessions?limit=1&parent="+string(pub.Offerings[g]), admin, nil).json(t, &jan)
	session := string(jan.Items[0].ID)
	// The consultant lists the enrolments of the groups they lead, no others.
	var theirs app.EnrolmentList
	decodeJSON(t, send("GET", py+"/enrolments", consultant, nil, 200), &theirs)
	wantTheirs := slices.DeleteFunc(slices.Clone(all.Items), func(e app.Enrolment) bool {
		gi := slices.Index(pub.Offerings, e.OfferingID)
		return gi < 0 || run.Leaders[gi] != leader
	})
	if len(wantTheirs) == 0 || !cmp.Equal(wantTheirs, theirs.Items) {
		t.Errorf("%s lists %d enrolments; want the %d of the groups they lead", leader, len(theirs.Items), len(wantTheirs))
	}
	m0, m1 := groups[g][0], groups[g][1]
	attend := app.GroupAttendance{Attended: []app.Attendee{{ProviderID: bsk.ProviderID(m0)}, {ProviderID: bsk.ProviderID(m1), Hours: 1}}}
	send("POST", py+"/sessions/"+session+"/attendance", s.key("consultant", "", "consultant-03"), attend, http.StatusNotFound)
	for gi, l := range run.Leaders {
		if l != "" && l != leader {
			other := s.key("consultant", "", l)
			send("POST", py+"/sessions/"+session+"/attendance", other, attend, http.StatusNotFound)
			var theirs app.Page[bsk.Session]
			s.expect(200, "GET", v1+"/sessions?limit=1&parent="+string(pub.Offerings[gi]), admin, nil).json(t, &theirs)
			send("POST", py+"/sessions/"+string(theirs.Items[0].ID)+"/attendance", consultant, attend, http.StatusNotFound)
			break
		}
	}
	outsider := staffOf(t, s, "org-005")[0].ID
	send("POST", py+"/sessions/"+session+"/attendance", consultant, app.GroupAttendance{Attended: []app.Attendee{{ProviderID: outsider}}}, http.StatusBadRequest)
	send("POST", py+"/sessions/"+session+"/attendance", consultant, attend, 201)
	send("POST", py+"/sessions/"+session+"/attendance", consultant, attend, http.StatusConflict)

	// The hours are in the attendance records, reflective credit.
	var recs app.Page[bsk.Attendance]
	s.expect(200, "GET", v1+"/attendance?parent="+session, admin, nil).json(t, &recs)
	hours := map[grouping.MemberID]float64{}
	for _, a := range recs.Items {
		if a.Credit != bsk.CreditReflective {
			t.Errorf("%s's credit is %s; want reflective", a.ProviderID, a.Credit)
		}
		hours[grouping.MemberID(a.ProviderID)] = a.Hours
	}
	if d := cmp.Diff(map[grouping.MemberID]float64{m0: 1.5, m1: 1}, hours); d != "" {
		t.Errorf("attendance of %s (-want +got)\n%s", session, d)
	}

	// 5. January's invoice: one 90-minute session at $120 an hour is $180.
	var inv app.Invoice
	decodeJSON(t, send("POST", py+"/invoices", coord, app.InvoiceRequest{Month: "2026-01", Rates: training.Rates{HourlyCents: 120_00}}, 201), &inv)
	wantLines := []training.InvoiceLine{{Consultant: bsk.ProviderID(leader), Month: "2026-01", Sessions: []bsk.SessionID{bsk.SessionID(session)}, Minutes: 90, RateCents: 12000, AmountCents: 18000}}
	if d := cmp.Diff(wantLines, inv.Lines); d != "" || inv.TotalCents != 18000 {
		t.Errorf("invoice lines (-want +got), total %d\n%s", inv.TotalCents, d)
	}
	send("POST", py+"/invoices", coord, app.InvoiceRequest{Month: "2026-01", Rates: training.Rates{HourlyCents: 99_00}}, http.StatusConflict)
	send("POST", py+"/invoices", coord, app.InvoiceRequest{Month: "2026-02", Rates: training.Rates{HourlyCents: 120_00}}, http.StatusBadRequest)
	csv := send("GET", py+"/invoices/"+inv.ID+"?format=csv", coord, nil, 200)
	wantCSV := "consultant,month,sessions,minutes,hours,rate,amount\n" + leader + ",2026-01," + session + ",90,1.50,120.00,180.00\n"
	if string(csv) != wantCSV {
		t.Errorf("invoice CSV = %q; want %q", csv, wantCSV)
	}
	book, err := excelize.OpenReader(bytes.NewReader(send("GET", py+"/invoices/"+inv.ID+"?format=xlsx", coord, nil, 200)))
	if err != nil {
		t.Fatalf("opening the invoice workbook: %v", err)
	}
	for cell, want := range map[string]string{"A1": "consultant", "A2": leader, "C2": session, "D2": "90", "E2": "1.5", "F2": "120", "G2": "180", "A3": "total", "G3": "180"} {
		if got, err := book.GetCellValue("Invoice", cell); err != nil || got != want {
			t.Errorf("workbook %s = %q, %v; want %q", cell, got, err, want)
		}
	}
	book.Close()

	// 6. Mid-year, someone joins org-001 and the run is re-grouped; the
	// re-grouping is published effective March 1st: February's sessions
	// count the old groups, March's the new, and the old enrolments stay.
	// The joiner is like a member of the consultant's group: they fit it.
	var joiner bsk.Provider
	s.expect(200, "GET", v1+"/providers/"+string(m0), admin, nil).json(t, &joiner)
	joiner.ID, joiner.Name, joiner.ReportsTo = "org-001-joiner", "Joiner", ""
	joiner.OrganizationID = "org-001"
	s.expect(201, "POST", v1+"/providers", admin, joiner)
	var again app.GroupingRun
	s.expect(202, "POST", v1+"/grouping-runs/"+run.ID+"/regroup", coord, app.RegroupRequest{TimeLimitSeconds: 1}).json(t, &again)
	again = waitFinished(t, s, coord, again.ID)
	if again.Status != app.RunDone {
		t.Fatalf("re-grouping %s: %+v", again.Status, again.Error)
	}
	march := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var pub2 app.Publication
	decodeJSON(t, send("POST", py+"/rc-runs/"+again.ID+"/publish", coord, app.PublishRequest{From: "2026-01", Effective: &march}, 201), &pub2)
	if pub2.PreviousRunID != run.ID || !slices.Equal(pub2.Offerings[:min(len(pub.Offerings), len(pub2.Offerings))], pub.Offerings[:min(len(pub.Offerings), len(pub2.Offerings))]) {
		t.Fatalf("the re-grouping's offerings %v do not continue %v", pub2.Offerings, pub.Offerings)
	}
	// Each move out of a group ends an enrolment, each move into one begins
	// one; those who stay keep theirs.
	wantEnded, wantBegun := 0, 0
	for _, m := range append(slices.Clone(again.Diff.Moved), again.Diff.Joined...) {
		if m.From >= 0 {
			wantEnded++
		}
		if m.To >= 0 {
			wantBegun++
		}
	}
	for _, m := range again.Diff.Left {
		if slices.ContainsFunc(groups, func(ms []grouping.MemberID) bool { return slices.Contains(ms, m) }) {
			wantEnded++
		}
	}
	if pub2.Ended != wantEnded || pub2.Enrolled != wantBegun || wantBegun == 0 {
		t.Errorf("publication ended %d and began %d enrolments; want %d and %d for the diff %+v", pub2.Ended, pub2.Enrolled, wantEnded, wantBegun, again.Diff)
	}
	var after app.EnrolmentList
	decodeJSON(t, send("GET", py+"/enrolments", admin, nil, 200), &after)
	if len(after.Items) != len(all.Items)+pub2.Enrolled {
		t.Errorf("%d enrolments after the re-grouping; want the %d before kept and %d new", len(after.Items), len(all.Items), pub2.Enrolled)
	}
	calendar := func(key, month string) app.Calendar {
		t.Helper()
		var c app.Calendar
		decodeJSON(t, send("GET", py+"/calendar?month="+month, key, nil, 200), &c)
		return c
	}
	registrations := func(c app.Calendar) map[bsk.OfferingID]int {
		out := map[bsk.OfferingID]int{}
		for _, x := range c.Sessions {
			out[x.OfferingID] = x.Registrations
		}
		return out
	}
	feb, mar := registrations(calendar(coord, "2026-02")), registrations(calendar(coord, "2026-03"))
	for gi, id := range pub.Offerings {
		if id == "" {
			continue
		}
		if feb[id] != len(groups[gi]) {
			t.Errorf("February: %s has %d registrations; want the old group's %d", id, feb[id], len(groups[gi]))
		}
	}
	for gi, id := range pub2.Offerings {
		if id == "" {
			continue
		}
		if mar[id] != len(again.Solution.Groups[gi]) {
			t.Errorf("March: %s has %d registrations; want the new group's %d", id, mar[id], len(again.Solution.Groups[gi]))
		}
	}
	gj := slices.IndexFunc(again.Solution.Groups, func(ms []grouping.MemberID) bool { return slices.Contains(ms, "org-001-joiner") })
	if gj >= 0 {
		es := enrolled(admin, string(pub2.Offerings[gj]))
		i := slices.IndexFunc(es, func(e app.Enrolment) bool { return e.ProviderID == "org-001-joiner" })
		if i < 0 || !es[i].From.Equal(march) || es[i].Until != nil {
			t.Errorf("the joiner's enrolment in group %d: %+v; want from %s", gj, es, march)
		}
	}

	// 7. The calendar: January has every group's session with its
	// consultant and registrations, and the groups without a consultant.
	cal := calendar(coord, "2026-01")
	var wantUnled []bsk.OfferingID
	for _, gi := range pub.Unled {
		wantUnled = append(wantUnled, pub.Offerings[gi])
	}
	for _, gi := range bpub.Unled {
		wantUnled = append(wantUnled, bpub.Offerings[gi])
	}
	slices.Sort(wantUnled)
	gotUnled := slices.Clone(cal.Unled)
	slices.Sort(gotUnled)
	if d := cmp.Diff(wantUnled, gotUnled); d != "" {
		t.Errorf("January's groups without a consultant (-published +calendar)\n%s", d)
	}
	i := slices.IndexFunc(cal.Sessions, func(x app.CalendarSession) bool { return string(x.SessionID) == session })
	if i < 0 || len(cal.Sessions[i].Leaders) != 1 || string(cal.Sessions[i].Leaders[0].ID) != leader || cal.Sessions[i].Leaders[0].Name == "" ||
		cal.Sessions[i].Registrations != len(groups[g]) || cal.Sessions[i].Language == "" {
		t.Errorf("January's calendar entry for %s: %+v", session, cal.Sessions)
	}
	for _, x := range cal.Sessions {
		if x.Starts.In(mustZone(t)).Format("2006-01") != "2026-01" {
			t.Errorf("%s starts %s, outside January", x.SessionID, x.Starts)
		}
	}
	// The agency counts its own staff only.
	acal := registrations(calendar(agency, "2026-01"))
	for gi, id := range pub.Offerings {
		if id == "" {
			continue
		}
		n := 0
		for _, m := range groups[gi] {
			if own[bsk.ProviderID(m)] {
				n++
			}
		}
		if got, seen := acal[id]; seen && got != n {
			t.Errorf("org-001 counts %d registrations in %s; want its own staff's %d", got, id, n)
		}
	}

	// 8. Communities of practice: "reflective" reaches one member of its
	// minimum two and does not open, its member goes to their second
	// choice; the Spanish community has one of three and does not open.
	var es bsk.ProviderID
	var en []bsk.ProviderID
	for _, p := range staffOf(t, s, "org-001") {
		switch {
		case slices.Contains(p.Languages, bsk.Spanish) && es == "":
			es = p.ID
		case !slices.Contains(p.Languages, bsk.Spanish) && p.ID != "org-001-joiner" && len(en) < 6:
			en = append(en, p.ID)
		}
	}
	if es == "" || len(en) < 6 {
		t.Fatalf("org-001 has no Spanish speaker or too few others: %v %v", es, en)
	}
	req := app.CommunityRequest{
		Communities: []app.Community{{ID: "trauma", Language: bsk.English, Capacity: 6, MinSize: 2}, {ID: "reflective", Language: bsk.English, Capacity: 6, MinSize: 2},
			{ID: "migration-es", Language: bsk.Spanish, Capacity: 10, MinSize: 3}},
		Rankings: []app.CommunityRanking{
			{ProviderID: en[0], Ranked: []string{"trauma"}}, {ProviderID: en[1], Ranked: []string{"trauma"}}, {ProviderID: en[2], Ranked: []string{"trauma"}},
			{ProviderID: en[3], Ranked: []string{"reflective", "trauma"}}, {ProviderID: en[4], Ranked: []string{"trauma", "reflective"}},
			{ProviderID: en[5], Ranked: []string{"trauma"}}, {ProviderID: es, Ranked: []string{"migration-es"}},
		},
	}
	var cop app.CommunityPlacement
	decodeJSON(t, send("POST", py+"/communities/placements", coord, req, 200), &cop)
	wantPlaced := map[bsk.ProviderID]string{}
	for _, id := range en {
		wantPlaced[id] = "trauma"
	}
	if d := cmp.Diff(wantPlaced, cop.Placed); d != "" {
		t.Errorf("placed (-want +got)\n%s", d)
	}
	if d := cmp.Diff([]string{"reflective", "migration-es"}, cop.NotOpened); d != "" || !slices.Equal(cop.ByRank, []int{5, 1}) {
		t.Errorf("not opened (-want +got), by rank %v\n%s", cop.ByRank, d)
	}
	if len(cop.Unplaced) != 1 || cop.Unplaced[0].Member != grouping.MemberID(es) || cop.Unplaced[0].Reason.Code != grouping.ReasonBelowMinimum ||
		cop.Unplaced[0].Reason.Text != "Group migration-es reached only 1 member, below its minimum of 3, so it was not formed, and no other group could take this member." {
		t.Errorf("unplaced = %+v; want %s below the Spanish community's minimum", cop.Unplaced, es)
	}
	req.Rankings = append(req.Rankings, app.CommunityRanking{ProviderID: "nobody", Ranked: []string{"trauma"}})
	send("POST", py+"/communities/placements", coord, req, http.StatusNotFound)
}

func mustZone(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
