package training_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/training"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// smallYear is a hand-sized program: two agencies, six providers, an
// English training with two sessions, a Spanish-language training, a
// community of leaders whose quarterly training earns training hours and
// whose mentorship earns reflective ones, and an ASL-interpreted session.
func smallYear() bsk.Workforce {
	p := func(id, org, name string, role bsk.Role, langs []bsk.Language, race ...bsk.RaceEthnicity) bsk.Provider {
		return bsk.Provider{ID: bsk.ProviderID(id), OrganizationID: bsk.OrganizationID(org), Name: name, Role: role,
			Languages: langs, Demographics: bsk.Demographics{Race: race}, Education: bsk.EducationBachelor, YearsExperience: 3}
	}
	en, es, vi, ase := bsk.English, bsk.Spanish, bsk.Vietnamese, bsk.ASL
	w := bsk.Workforce{
		Organizations: []bsk.Organization{
			{ID: "org-kent", Name: "Kent Family Center", Kind: bsk.OrgHomeVisiting, Grantee: true, Place: "kent", ServesYoungChildren: true},
			{ID: "org-vashon", Name: "Vashon Child Care", Kind: bsk.OrgChildCare, Place: "vashon", ServesYoungChildren: true},
			{ID: "org-clinic", Name: "Eastside Adult Clinic", Kind: bsk.OrgClinic, Place: "bellevue"},
		},
		Providers: []bsk.Provider{
			p("p-ana", "org-kent", "Ana Ruiz", bsk.RoleDirectService, []bsk.Language{es}, bsk.RaceHispanicLatinx),
			p("p-binh", "org-kent", "Binh Tran", bsk.RoleDirectService, []bsk.Language{vi, en}, bsk.RaceAsian),
			p("p-cara", "org-kent", "Cara Jones", bsk.RoleSupervisor, []bsk.Language{en}, bsk.RaceWhite),
			p("p-dee", "org-vashon", "Dee Park", bsk.RoleDirectService, []bsk.Language{en, ase}, bsk.RaceBlack),
			p("p-eli", "org-vashon", "Eli Moss", bsk.RoleDirector, []bsk.Language{en}, bsk.RaceWhite),
			p("p-fay", "org-clinic", "Fay Lund", bsk.RoleDirectService, []bsk.Language{en}, bsk.RaceWhite),
		},
		Offerings: []bsk.Offering{
			{ID: "tr-attach", Kind: bsk.OfferingTraining, Title: "Attachment", Strategy: bsk.StrategyIECMH, Topic: "Attachment",
				Language: en, Interpretation: []bsk.Language{es, vi}, Capacity: 3, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 240},
			{ID: "tr-es", Kind: bsk.OfferingTraining, Title: "Apego", Strategy: bsk.StrategyIECMH, Topic: "Attachment",
				Language: es, Capacity: 25, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 90},
			{ID: "col", Kind: bsk.OfferingCommunityOfLeaders, Title: "Community of Leaders", Strategy: bsk.StrategyIECMH, Topic: "Reflective practice",
				Language: en, Capacity: 82, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90},
		},
		Sessions: []bsk.Session{
			{ID: "tr-attach-1", OfferingID: "tr-attach", Starts: time.Date(2026, 1, 15, 17, 0, 0, 0, time.UTC), Minutes: 240},
			{ID: "tr-attach-2", OfferingID: "tr-attach", Starts: time.Date(2026, 2, 19, 17, 0, 0, 0, time.UTC), Minutes: 240},
			{ID: "tr-es-1", OfferingID: "tr-es", Starts: time.Date(2026, 3, 5, 17, 0, 0, 0, time.UTC), Minutes: 90},
			{ID: "col-q1", OfferingID: "col", Starts: time.Date(2025, 12, 3, 17, 0, 0, 0, time.UTC), Minutes: 180, Credit: bsk.CreditTraining},
			{ID: "col-m1", OfferingID: "col", Starts: time.Date(2026, 1, 7, 17, 0, 0, 0, time.UTC), Minutes: 90},
		},
	}
	return w
}

func mustCatalog(tb testing.TB, w bsk.Workforce) *training.Catalog {
	tb.Helper()
	c, err := training.NewCatalog(w)
	if err != nil {
		tb.Fatalf("NewCatalog: %v", err)
	}
	return c
}

// programYear is a year at the scale of the benchmarks: the synthetic
// workforce's monthly trainings (capacity 125) and communities of
// practice, 97 reflective consultation groups of 6-8 meeting monthly, a
// community of leaders of 82 (quarterly trainings, monthly mentorship) and
// a certificate cohort of 100 (monthly modules and reflection groups), six
// intergroup dialogue groups of leaders, and fifteen large group workshops.
func programYear(seed int64, providers int) bsk.Workforce {
	w := bsktest.Workforce(seed, bsktest.Options{Providers: providers, Organizations: max(10, providers/8)})
	r := rand.New(rand.NewPCG(uint64(seed), 17))
	var staff []bsk.ProviderID
	byOrg := map[bsk.OrganizationID][]bsk.ProviderID{}
	var consultants []bsk.ProviderID
	for _, p := range w.Providers {
		if p.Role.Leads() {
			consultants = append(consultants, p.ID)
			continue
		}
		staff = append(staff, p.ID)
		byOrg[p.OrganizationID] = append(byOrg[p.OrganizationID], p.ID)
	}
	sample := func(xs []bsk.ProviderID, k int) []bsk.ProviderID {
		k = min(k, len(xs))
		out := make([]bsk.ProviderID, 0, k)
		for _, i := range r.Perm(len(xs))[:k] {
			out = append(out, xs[i])
		}
		return out
	}
	y := 2026
	add := func(o bsk.Offering, sessions []bsk.Session, who func(i int) []bsk.ProviderID) {
		w.Offerings = append(w.Offerings, o)
		for i, s := range sessions {
			w.Sessions = append(w.Sessions, s)
			for _, p := range who(i) {
				w.Attendance = append(w.Attendance, bsk.Attendance{SessionID: s.ID, ProviderID: p, Hours: float64(s.Minutes) / 60, Credit: s.CreditFor(o.Kind)})
			}
		}
	}
	monthly := func(id string, n int, start time.Time, minutes int, credit func(i int) bsk.Credit) []bsk.Session {
		out := make([]bsk.Session, n)
		for i := range out {
			out[i] = bsk.Session{ID: bsk.SessionID(fmt.Sprintf("%s-s%02d", id, i+1)), OfferingID: bsk.OfferingID(id),
				Starts: start.AddDate(0, i, 0), Minutes: minutes}
			if credit != nil {
				out[i].Credit = credit(i)
			}
		}
		return out
	}
	// 97 reflective consultation groups of 6-8 staff of one agency.
	var orgs []bsk.OrganizationID
	for _, o := range w.Organizations {
		if len(byOrg[o.ID]) >= 6 {
			orgs = append(orgs, o.ID)
		}
	}
	for g := range 97 {
		org := orgs[g%len(orgs)]
		members := sample(byOrg[org], 6+r.IntN(3))
		id := fmt.Sprintf("rc-%03d", g+1)
		o := bsk.Offering{ID: bsk.OfferingID(id), Kind: bsk.OfferingReflectiveConsultation, Title: "Reflective consultation " + id,
			Strategy: bsk.StrategyIECMH, Language: bsk.English, Capacity: 8, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual,
			SessionMinutes: 90, OrganizationID: org, Leaders: []bsk.ProviderID{consultants[g%len(consultants)]}}
		add(o, monthly(id, 12, time.Date(y, 1, 8+g%20, 17, 0, 0, 0, time.UTC), 90, nil), func(int) []bsk.ProviderID {
			return sample(members, len(members)-r.IntN(2))
		})
	}
	// The community of leaders: quarterly trainings, monthly mentorship.
	leaders := sample(staff, 82)
	col := bsk.Offering{ID: "col-2026", Kind: bsk.OfferingCommunityOfLeaders, Title: "Transformation, Healing, and Liberation in Reflective Practice",
		Strategy: bsk.StrategyIECMH, Topic: "Reflective practice", Language: bsk.English, Capacity: 82, Cadence: bsk.CadenceMonthly,
		Modality: bsk.ModalityVirtual, SessionMinutes: 90}
	add(col, monthly("col-2026", 10, time.Date(y, 1, 20, 17, 0, 0, 0, time.UTC), 90, func(i int) bsk.Credit {
		if i%3 == 0 {
			return bsk.CreditTraining
		}
		return bsk.CreditReflective
	}), func(int) []bsk.ProviderID { return sample(leaders, 70+r.IntN(12)) })
	// The certificate cohort: a morning module and an afternoon reflection group each month.
	cohort := sample(staff, 100)
	cert := bsk.Offering{ID: "cert-2026", Kind: bsk.OfferingCertificateCohort, Title: "IECMH certificate", Strategy: bsk.StrategyIECMH,
		Topic: "IECMH foundations", Language: bsk.English, Capacity: 100, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityInPerson, SessionMinutes: 180}
	var certSessions []bsk.Session
	for m := range 12 {
		at := time.Date(y, time.Month(m+1), 25, 16, 0, 0, 0, time.UTC)
		certSessions = append(certSessions,
			bsk.Session{ID: bsk.SessionID(fmt.Sprintf("cert-2026-m%02d", m+1)), OfferingID: cert.ID, Starts: at, Minutes: 180},
			bsk.Session{ID: bsk.SessionID(fmt.Sprintf("cert-2026-r%02d", m+1)), OfferingID: cert.ID, Starts: at.Add(4 * time.Hour), Minutes: 150, Credit: bsk.CreditReflective})
	}
	add(cert, certSessions, func(int) []bsk.ProviderID { return sample(cohort, 90+r.IntN(10)) })
	// Intergroup dialogue: six groups of agency leaders, monthly for ten months.
	var directors []bsk.ProviderID
	for _, p := range w.Providers {
		if p.Role == bsk.RoleDirector || p.Role == bsk.RoleSupervisor {
			directors = append(directors, p.ID)
		}
	}
	for g := range 6 {
		id := fmt.Sprintf("igd-%d", g+1)
		members := sample(directors, 15)
		add(bsk.Offering{ID: bsk.OfferingID(id), Kind: bsk.OfferingIntergroupDialogue, Title: "Intergroup dialogue " + id, Strategy: bsk.StrategyIECMH,
			Language: bsk.English, Capacity: 17, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 120},
			monthly(id, 10, time.Date(y, 1, 12+g, 18, 0, 0, 0, time.UTC), 120, nil),
			func(int) []bsk.ProviderID { return sample(members, 12+r.IntN(4)) })
	}
	// Fifteen large group workshops (workforce development) of 250-650.
	for k := range 15 {
		id := fmt.Sprintf("wfd-%02d", k+1)
		add(bsk.Offering{ID: bsk.OfferingID(id), Kind: bsk.OfferingLargeGroupWorkshop, Title: "Workshop " + id, Strategy: bsk.StrategyWFD,
			Topic: []string{"Healthy child development", "Racial equity", "IECMH"}[k%3], Language: bsk.English, Cadence: bsk.CadenceOnce,
			Modality: bsk.ModalityVirtual, SessionMinutes: 180},
			monthly(id, 1, time.Date(y, time.Month(1+k%12), 3+k/12, 16, 0, 0, 0, time.UTC), 180, nil),
			func(int) []bsk.ProviderID { return sample(staff, 250+r.IntN(400)) })
	}
	return w
}

func asErrors(err error, list *bsk.Errors) bool { return errors.As(err, list) }
