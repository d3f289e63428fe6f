package bsk_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
)

var jan15 = time.Date(2026, 1, 15, 17, 0, 0, 0, time.UTC)

func TestSessionCreditFor(t *testing.T) {
	tests := []struct {
		credit bsk.Credit
		kind   bsk.OfferingKind
		want   bsk.Credit
	}{
		{"", bsk.OfferingTraining, bsk.CreditTraining},
		{"", bsk.OfferingReflectiveConsultation, bsk.CreditReflective},
		{"", bsk.OfferingCommunityOfLeaders, bsk.CreditReflective},
		{bsk.CreditTraining, bsk.OfferingCommunityOfLeaders, bsk.CreditTraining},
		{bsk.CreditReflective, bsk.OfferingCertificateCohort, bsk.CreditReflective},
	}
	for _, tt := range tests {
		s := bsk.Session{ID: "s1", OfferingID: "o1", Starts: jan15, Minutes: 90, Credit: tt.credit}
		if got := s.CreditFor(tt.kind); got != tt.want {
			t.Errorf("Session{Credit: %q}.CreditFor(%q) = %q; want %q", tt.credit, tt.kind, got, tt.want)
		}
		if err := s.Validate(); err != nil {
			t.Errorf("Session{Credit: %q}.Validate() = %v", tt.credit, err)
		}
	}
	bad := bsk.Session{ID: "s1", OfferingID: "o1", Starts: jan15, Minutes: 90, Credit: "mentorship"}
	if diff := cmp.Diff([]string{"credit"}, fields(t, bad.Validate())); diff != "" {
		t.Errorf("unknown credit (-want +got):\n%s", diff)
	}
}

func TestTrainingTypesValidate(t *testing.T) {
	tests := []struct {
		name string
		v    interface{ Validate() error }
		want []string
	}{
		{"registration ok", bsk.Registration{ID: "r1", OfferingID: "o1", ProviderID: "p1", Status: bsk.RegistrationWaitlisted, At: jan15, Interpretation: bsk.ASL}, nil},
		{"registration bad", bsk.Registration{ID: "r/1", OfferingID: "o1", ProviderID: "", Status: "maybe", Interpretation: "xx"},
			[]string{"id", "provider_id", "status", "at", "interpretation"}},
		{"notice ok", bsk.WaitlistNotice{RegistrationID: "r2", OfferingID: "o1", ProviderID: "p2", Position: 1, FreedBy: "r1", At: jan15}, nil},
		{"notice bad", bsk.WaitlistNotice{RegistrationID: "r2", OfferingID: "o1", ProviderID: "p2", Position: 0}, []string{"position", "at"}},
		{"booking ok", bsk.InterpreterBooking{SessionID: "s1", Language: bsk.Spanish, Interpreters: 2, Registrants: []bsk.ProviderID{"p1"}, BookBy: jan15}, nil},
		{"booking bad", bsk.InterpreterBooking{SessionID: "s1", Language: "klingon", Interpreters: 0}, []string{"language", "interpreters", "registrants", "book_by"}},
		{"line ok", bsk.TranscriptLine{SessionID: "s1", OfferingID: "o1", Title: "Attachment", On: jan15, Hours: 4, Credit: bsk.CreditTraining}, nil},
		{"line bad", bsk.TranscriptLine{SessionID: "s1", OfferingID: "o1", Title: "A\u202eB", On: jan15, Hours: 0, Credit: "x"}, []string{"title", "hours", "credit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.v.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v; want nil", err)
				}
				return
			}
			if diff := cmp.Diff(tt.want, fields(t, err)); diff != "" {
				t.Errorf("Validate() fields (-want +got):\n%s", diff)
			}
		})
	}
	if got := (bsk.RegistrationStatus("")).Enum(); len(got) != 3 {
		t.Errorf("RegistrationStatus.Enum() = %v; want 3 codes", got)
	}
}
