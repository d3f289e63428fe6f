package training_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/training"
)

// invoiceFixture: consultant-01 leads g1 (90 minutes, January and
// February), consultant-02 leads g2 (60 minutes, January; its February
// session was not attended), and a training led by consultant-01 is not
// reflective consultation.
func invoiceFixture() training.InvoiceInput {
	at := func(m time.Month) time.Time { return time.Date(2026, m, 6, 17, 0, 0, 0, time.UTC) }
	rc := func(id, who string) bsk.Offering {
		return bsk.Offering{ID: bsk.OfferingID(id), Kind: bsk.OfferingReflectiveConsultation, Leaders: []bsk.ProviderID{bsk.ProviderID(who)}}
	}
	return training.InvoiceInput{
		Offerings: []bsk.Offering{rc("g1", "consultant-01"), rc("g2", "consultant-02"),
			{ID: "t1", Kind: bsk.OfferingTraining, Leaders: []bsk.ProviderID{"consultant-01"}}},
		Sessions: []bsk.Session{
			{ID: "g1-2026-01", OfferingID: "g1", Starts: at(1), Minutes: 90},
			{ID: "g1-2026-02", OfferingID: "g1", Starts: at(2), Minutes: 90},
			{ID: "g2-2026-01", OfferingID: "g2", Starts: at(1), Minutes: 60},
			{ID: "g2-2026-02", OfferingID: "g2", Starts: at(2), Minutes: 60},
			{ID: "t1-s1", OfferingID: "t1", Starts: at(1), Minutes: 240},
		},
		Attendance: []bsk.Attendance{
			{SessionID: "g1-2026-01", ProviderID: "a", Hours: 1.5},
			{SessionID: "g1-2026-01", ProviderID: "b", Hours: 1.5},
			{SessionID: "g1-2026-02", ProviderID: "a", Hours: 1},
			{SessionID: "g2-2026-01", ProviderID: "c", Hours: 1},
			{SessionID: "t1-s1", ProviderID: "a", Hours: 4},
		},
		Rates: training.Rates{HourlyCents: 120_00, Consultants: map[bsk.ProviderID]int64{"consultant-02": 150_00}},
	}
}

func ExampleInvoice() {
	lines, err := training.Invoice(invoiceFixture())
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := training.WriteInvoiceCSV(os.Stdout, lines); err != nil {
		fmt.Println(err)
	}
	// Output:
	// consultant,month,sessions,minutes,hours,rate,amount
	// consultant-01,2026-01,g1-2026-01,90,1.50,120.00,180.00
	// consultant-01,2026-02,g1-2026-02,90,1.50,120.00,180.00
	// consultant-02,2026-01,g2-2026-01,60,1.00,150.00,150.00
}

func TestInvoiceBillsSessionsThatMet(t *testing.T) {
	in := invoiceFixture()
	in.Month = "2026-01"
	got, err := training.Invoice(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []training.InvoiceLine{
		{Consultant: "consultant-01", Month: "2026-01", Sessions: []bsk.SessionID{"g1-2026-01"}, Minutes: 90, RateCents: 12000, AmountCents: 18000},
		{Consultant: "consultant-02", Month: "2026-01", Sessions: []bsk.SessionID{"g2-2026-01"}, Minutes: 60, RateCents: 15000, AmountCents: 15000},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Invoice(January) (-want +got)\n%s", d)
	}
}

func TestInvoiceRefusesHoursInvoicedBefore(t *testing.T) {
	in := invoiceFixture()
	in.Invoiced = map[bsk.SessionID]string{"g1-2026-01": "inv-1"}
	_, err := training.Invoice(in)
	if !errors.Is(err, bsk.ErrConflict) || !strings.Contains(err.Error(), `"g1-2026-01"`) {
		t.Fatalf("Invoice() with January invoiced = %v; want a conflict naming g1-2026-01", err)
	}
	// February alone has nothing invoiced yet.
	in.Month = "2026-02"
	got, err := training.Invoice(in)
	if err != nil || len(got) != 1 || got[0].Sessions[0] != "g1-2026-02" {
		t.Fatalf("Invoice(February) = %v, %v; want g1-2026-02 alone", got, err)
	}
}

func TestInvoiceRoundsHalfUpToTheCent(t *testing.T) {
	in := training.InvoiceInput{
		Offerings:  []bsk.Offering{{ID: "g", Kind: bsk.OfferingReflectiveConsultation, Leaders: []bsk.ProviderID{"c"}}},
		Sessions:   []bsk.Session{{ID: "g-1", OfferingID: "g", Starts: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Minutes: 61}},
		Attendance: []bsk.Attendance{{SessionID: "g-1", ProviderID: "a", Hours: 1}},
	}
	// 61 minutes at $0.30 an hour is 30.5 cents; at $100.01, 10168.0166 cents.
	for rate, want := range map[int64]int64{30: 31, 10001: 10168, 6000: 6100} {
		in.Rates.HourlyCents = rate
		got, err := training.Invoice(in)
		if err != nil || len(got) != 1 || got[0].AmountCents != want {
			t.Errorf("61 minutes at %d cents = %v, %v; want %d cents", rate, got, err, want)
		}
	}
}

func TestInvoiceRefusesBadRatesAndMonths(t *testing.T) {
	in := invoiceFixture()
	in.Rates.HourlyCents = 0
	in.Rates.Consultants["consultant-02"] = -1
	_, err := training.Invoice(in)
	var list bsk.Errors
	if !errors.As(err, &list) || len(list) != 2 || list[0].Field != "hourly_cents" || list[1].Field != "consultants.consultant-02" {
		t.Errorf("Invoice() with bad rates = %v; want hourly_cents and consultants.consultant-02", err)
	}
	in = invoiceFixture()
	in.Month = "March"
	if _, err := training.Invoice(in); !errors.Is(err, bsk.ErrInvalid) {
		t.Errorf("Invoice(month March) = %v; want invalid", err)
	}
}

func TestDollars(t *testing.T) {
	for cents, want := range map[int64]string{0: "0.00", 5: "0.05", 12550: "125.50", -5: "-0.05", -12345: "-123.45"} {
		if got := training.Dollars(cents); got != want {
			t.Errorf("Dollars(%d) = %q; want %q", cents, got, want)
		}
	}
}

// BenchmarkSeriesAndInvoice builds a program year, 97 groups of 7 meeting
// monthly for 12 months, and invoices it month by month.
func BenchmarkSeriesAndInvoice(b *testing.B) {
	days := []bsk.Day{bsk.Monday, bsk.Tuesday, bsk.Wednesday, bsk.Thursday, bsk.Friday}
	for b.Loop() {
		var in training.InvoiceInput
		in.Rates.HourlyCents = 125_00
		for g := range 97 {
			id := bsk.OfferingID(fmt.Sprintf("rc-g%02d", g+1))
			in.Offerings = append(in.Offerings, bsk.Offering{ID: id, Kind: bsk.OfferingReflectiveConsultation,
				Leaders: []bsk.ProviderID{bsk.ProviderID(fmt.Sprintf("consultant-%02d", g%20+1))}})
			s := training.Series{OfferingID: id, Slot: bsk.Slot{Day: days[g%5], Start: 9*60 + 60*(g%8), End: 10*60 + 30 + 60*(g%8)},
				Week: 1 + g%4, From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Months: 12}
			sessions, err := s.Sessions()
			if err != nil {
				b.Fatal(err)
			}
			in.Sessions = append(in.Sessions, sessions...)
			for _, x := range sessions {
				for m := range 7 {
					in.Attendance = append(in.Attendance, bsk.Attendance{SessionID: x.ID, ProviderID: bsk.ProviderID(fmt.Sprintf("p%d-%d", g, m)), Hours: 1.5})
				}
			}
		}
		in.Invoiced = map[bsk.SessionID]string{}
		for m := range 12 {
			in.Month = time.Date(2026, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
			lines, err := training.Invoice(in)
			if err != nil {
				b.Fatal(err)
			}
			for _, l := range lines {
				for _, s := range l.Sessions {
					in.Invoiced[s] = in.Month
				}
			}
		}
		if len(in.Invoiced) != 97*12 {
			b.Fatalf("%d sessions invoiced; want %d", len(in.Invoiced), 97*12)
		}
	}
}
