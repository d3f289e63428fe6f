package bsktest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// Options sizes the synthetic workforce. The zero value gives the defaults.
type Options struct {
	// Organizations is the number of agencies, not counting the coordinator;
	// 0 means 90.
	Organizations int
	// Providers is the number of providers in the agencies, not counting
	// consultants; 0 means 680, the staff of the program's 97 reflective
	// consultation groups of 6-8 (20 consultants lead them).
	Providers int
	// Consultants is the number of reflective consultants; 0 means 20.
	Consultants int
	// Year is the program year the offerings and sessions fall in; 0 means 2026.
	Year int
	// NoOfferings leaves out offerings, sessions and attendance.
	NoOfferings bool
}

func (o Options) withDefaults() Options {
	if o.Organizations <= 0 {
		o.Organizations = 90
	}
	if o.Providers <= 0 {
		o.Providers = 680
	}
	if o.Consultants <= 0 {
		o.Consultants = 20
	}
	if o.Year <= 0 {
		o.Year = 2026
	}
	return o
}

// CoordinatorID is the organization the consultants belong to.
const CoordinatorID bsk.OrganizationID = "org-coordinator"

// Workforce returns a synthetic King County workforce: agencies of skewed
// sizes, their providers with reporting lines, the coordinator's
// consultants, a year of monthly trainings with interpretation, communities
// of practice, and attendance. The same seed and options give the same
// workforce, byte for byte once encoded. The result passes
// [bsk.Workforce.Validate].
func Workforce(seed int64, opts Options) bsk.Workforce {
	opts = opts.withDefaults()
	g := &gen{r: rand.New(rand.NewPCG(uint64(seed), 0x6b696e67636f756e))}
	var w bsk.Workforce
	w.Organizations = append(w.Organizations, bsk.Organization{
		ID: CoordinatorID, Name: "Workforce Coordination Partners", Kind: bsk.OrgCoordinator,
		Place: "seattle", Languages: []bsk.Language{bsk.English, bsk.Spanish},
		Strategies: []bsk.Strategy{bsk.StrategyIECMH, bsk.StrategyESIT, bsk.StrategyWFD}, ServesYoungChildren: true,
	})
	sizes := g.orgSizes(opts.Organizations, opts.Providers)
	for i := range opts.Organizations {
		o := g.organization(i)
		w.Organizations = append(w.Organizations, o)
		w.Providers = append(w.Providers, g.staff(o, sizes[i])...)
	}
	for i := range opts.Consultants {
		w.Providers = append(w.Providers, g.consultant(i))
	}
	if !opts.NoOfferings {
		g.offerings(&w, opts)
	}
	return w
}

type gen struct {
	r       *rand.Rand
	nextPID int
}

// weighted picks an index by weight.
func (g *gen) weighted(weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := g.r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// orgSizes splits providers over organizations with a heavy tail: many small
// community-based organizations, a few large clinics and hospitals.
func (g *gen) orgSizes(orgs, providers int) []int {
	w := make([]float64, orgs)
	total := 0.0
	for i := range w {
		// Pareto-like weights.
		w[i] = 1 / (0.15 + g.r.Float64())
		total += w[i]
	}
	sizes := make([]int, orgs)
	left := providers
	for i := range sizes {
		sizes[i] = max(1, int(float64(providers)*w[i]/total))
		left -= sizes[i]
	}
	for i := 0; left != 0; i = (i + 1) % orgs {
		if left > 0 {
			sizes[i]++
			left--
		} else if sizes[i] > 1 {
			sizes[i]--
			left++
		}
	}
	return sizes
}

var orgKindWeights = []struct {
	kind bsk.OrganizationKind
	w    float64
	stem string
}{
	{bsk.OrgCommunityBased, 40, "Community Services"}, {bsk.OrgHomeVisiting, 15, "Family Home Visiting"},
	{bsk.OrgChildCare, 15, "Early Learning Center"}, {bsk.OrgClinic, 10, "Community Health Clinic"},
	{bsk.OrgEarlyIntervent, 8, "Early Intervention Program"}, {bsk.OrgHospital, 3, "Children's Hospital Program"},
	{bsk.OrgSchoolDistrict, 4, "School District Early Learning"}, {bsk.OrgPublicAgency, 3, "Public Health Center"},
	{bsk.OrgTribal, 2, "Tribal Family Services"},
}

// placeWeights follows population: Seattle and South King County largest.
var placeWeights = []struct {
	place bsk.Place
	w     float64
}{
	{"seattle", 30}, {"kent", 7}, {"renton", 6}, {"federal_way", 6}, {"auburn", 5}, {"bellevue", 8},
	{"burien", 3}, {"tukwila", 2}, {"seatac", 2}, {"des_moines", 2}, {"white_center", 2}, {"skyway", 1},
	{"kirkland", 4}, {"redmond", 4}, {"issaquah", 2}, {"sammamish", 2}, {"shoreline", 3}, {"bothell", 2},
	{"kenmore", 1}, {"covington", 1}, {"maple_valley", 1}, {"enumclaw", 1}, {"snoqualmie", 1},
	{"north_bend", 0.5}, {"duvall", 0.5}, {"carnation", 0.3}, {"vashon", 0.5}, {"black_diamond", 0.3},
}

func (g *gen) place() bsk.Place {
	ws := make([]float64, len(placeWeights))
	for i, p := range placeWeights {
		ws[i] = p.w
	}
	return placeWeights[g.weighted(ws)].place
}

// Other-than-English languages with their share among those who speak one.
var otherLanguages = []struct {
	lang bsk.Language
	w    float64
}{
	{bsk.Spanish, 34}, {bsk.Chinese, 6}, {bsk.Mandarin, 5}, {bsk.Cantonese, 4}, {bsk.Vietnamese, 10},
	{bsk.Somali, 7}, {bsk.Amharic, 4}, {bsk.Tigrinya, 2}, {bsk.Oromo, 1}, {bsk.Russian, 4},
	{bsk.Ukrainian, 3}, {bsk.Korean, 3}, {bsk.Tagalog, 3}, {bsk.Arabic, 3}, {bsk.Dari, 2},
	{bsk.Pashto, 1}, {bsk.Punjabi, 2}, {bsk.Hindi, 2}, {bsk.Khmer, 1}, {bsk.ASL, 2},
	{bsk.Marshallese, 0.5}, {bsk.Samoan, 0.5}, {bsk.French, 1}, {bsk.Portuguese, 1},
}

func (g *gen) otherLanguage() bsk.Language {
	ws := make([]float64, len(otherLanguages))
	for i, l := range otherLanguages {
		ws[i] = l.w
	}
	return otherLanguages[g.weighted(ws)].lang
}

var orgWords = []string{
	"Rainier", "Cascade", "Green River", "Duwamish", "Puget", "Salish", "Evergreen", "Snoqualmie",
	"Cedar", "Lake City", "Beacon", "Highline", "Eastside", "Northshore", "Valley", "Harbor",
	"Sunrise", "Riverbend", "Olympic", "Madrona", "Kinship", "Tahoma", "Alder", "Hillside",
}

func (g *gen) organization(i int) bsk.Organization {
	ws := make([]float64, len(orgKindWeights))
	for k, x := range orgKindWeights {
		ws[k] = x.w
	}
	kind := orgKindWeights[g.weighted(ws)]
	o := bsk.Organization{
		ID:                  bsk.OrganizationID(fmt.Sprintf("org-%03d", i+1)),
		Name:                fmt.Sprintf("%s %s %d", orgWords[g.r.IntN(len(orgWords))], kind.stem, i+1),
		Kind:                kind.kind,
		Grantee:             g.chance(0.7),
		BIPOCLed:            g.chance(0.45),
		Place:               g.place(),
		ServesYoungChildren: true,
	}
	o.CommunityDesigned = o.Kind == bsk.OrgCommunityBased && g.chance(0.5)
	o.Languages = []bsk.Language{bsk.English}
	for range g.r.IntN(3) {
		if l := g.otherLanguage(); !slices.Contains(o.Languages, l) {
			o.Languages = append(o.Languages, l)
		}
	}
	o.Strategies = []bsk.Strategy{bsk.StrategyIECMH}
	if o.Kind == bsk.OrgEarlyIntervent {
		o.Strategies = []bsk.Strategy{bsk.StrategyESIT}
	}
	if g.chance(0.5) {
		o.Strategies = append(o.Strategies, bsk.StrategyWFD)
	}
	return o
}

var disciplineByKind = map[bsk.OrganizationKind][]bsk.Discipline{
	bsk.OrgCommunityBased: {bsk.DisciplineFamilyResourceCoordinator, bsk.DisciplineParentAlly, bsk.DisciplineCommunityHealer, bsk.DisciplineDoula, bsk.DisciplineSocialWorker},
	bsk.OrgHomeVisiting:   {bsk.DisciplineHomeVisitor, bsk.DisciplineNurse, bsk.DisciplineSocialWorker},
	bsk.OrgChildCare:      {bsk.DisciplineChildCareProvider, bsk.DisciplineChildCareHealthConsultant},
	bsk.OrgClinic:         {bsk.DisciplineMentalHealthClinician, bsk.DisciplinePediatrician, bsk.DisciplinePediatricResident, bsk.DisciplineNurse, bsk.DisciplineSocialWorker},
	bsk.OrgEarlyIntervent: {bsk.DisciplineEarlyIntervention, bsk.DisciplineSpeechLanguageTherapist, bsk.DisciplineOccupationalTherapist, bsk.DisciplinePhysicalTherapist},
	bsk.OrgHospital:       {bsk.DisciplinePediatrician, bsk.DisciplinePediatricResident, bsk.DisciplineNurse, bsk.DisciplineMentalHealthClinician},
	bsk.OrgSchoolDistrict: {bsk.DisciplineChildCareProvider, bsk.DisciplineSpeechLanguageTherapist, bsk.DisciplineEarlyIntervention},
	bsk.OrgPublicAgency:   {bsk.DisciplineNurse, bsk.DisciplineChildCareHealthConsultant, bsk.DisciplineSocialWorker},
	bsk.OrgTribal:         {bsk.DisciplineHomeVisitor, bsk.DisciplineCommunityHealer, bsk.DisciplineFamilyResourceCoordinator},
}

var firstNames = []string{
	"Amina", "Lan", "Maria", "Sofia", "Hodan", "Mei", "Thanh", "Olena", "Fatima", "Aisha", "Jasmine",
	"Keisha", "Rosa", "Guadalupe", "Ji-woo", "Priya", "Leilani", "Tala", "Sarah", "Emily", "Hannah",
	"Marcus", "Diego", "Abdi", "Wei", "Minh", "Dmitri", "Samuel", "Tesfaye", "Jamal", "Luis", "Kai",
	"Noor", "Zahra", "Hiwot", "Selam", "Yuki", "Ana", "Camila", "Grace", "Ruth", "Naomi", "Malia",
}

var lastNames = []string{
	"Yusuf", "Nguyen", "Garcia", "Hernandez", "Mohamed", "Chen", "Tran", "Kovalenko", "Ahmed",
	"Johnson", "Washington", "Lopez", "Martinez", "Kim", "Patel", "Kealoha", "Faleolo", "Smith",
	"Miller", "Anderson", "Ali", "Wang", "Pham", "Ivanov", "Tesfaye", "Haile", "Rahimi", "Sato",
	"Reyes", "Flores", "Jackson", "Thompson", "Begay", "Yazzie", "Osman", "Abebe", "Li", "Park",
}

func (g *gen) name() string {
	return firstNames[g.r.IntN(len(firstNames))] + " " + lastNames[g.r.IntN(len(lastNames))] + " (synthetic)"
}

// Race categories with weights near the county's young-child population;
// "multiple" picks two categories.
var raceWeights = []float64{0.8, 18, 9, 17, 1.5, 41, 10, 2.7}
var raceCodes = []bsk.RaceEthnicity{
	bsk.RaceAmericanIndianAlaskaNative, bsk.RaceAsian, bsk.RaceBlack, bsk.RaceHispanicLatinx,
	bsk.RaceNativeHawaiianPacificIslander, bsk.RaceWhite, "", bsk.RaceDeclined,
}

func (g *gen) demographics() bsk.Demographics {
	var d bsk.Demographics
	switch i := g.weighted(raceWeights); raceCodes[i] {
	case "":
		a := g.r.IntN(6)
		b := (a + 1 + g.r.IntN(5)) % 6
		d.Race = []bsk.RaceEthnicity{raceCodes[min(a, b)], raceCodes[max(a, b)]}
	default:
		d.Race = []bsk.RaceEthnicity{raceCodes[i]}
	}
	d.Gender = []bsk.Gender{bsk.GenderWoman, bsk.GenderMan, bsk.GenderNonbinary, bsk.GenderDeclined}[g.weighted([]float64{84, 12, 2, 2})]
	d.AgeBand = []bsk.AgeBand{bsk.AgeUnder25, bsk.Age25To34, bsk.Age35To44, bsk.Age45To54, bsk.Age55To64, bsk.Age65Plus}[g.weighted([]float64{6, 30, 28, 20, 12, 4})]
	d.Place = g.place()
	d.Income = []bsk.IncomeBand{bsk.IncomeUnder200FPL, bsk.Income200To399FPL, bsk.Income400PlusFPL, bsk.IncomeDeclined}[g.weighted([]float64{25, 40, 30, 5})]
	return d
}

func (g *gen) availability(evenings bool) []bsk.Slot {
	var out []bsk.Slot
	for _, d := range []bsk.Day{bsk.Monday, bsk.Tuesday, bsk.Wednesday, bsk.Thursday, bsk.Friday} {
		if g.chance(0.55) {
			start := (8 + g.r.IntN(4)) * 60
			out = append(out, bsk.Slot{Day: d, Start: start, End: start + (3+g.r.IntN(4))*60})
		}
		if evenings && g.chance(0.2) {
			out = append(out, bsk.Slot{Day: d, Start: 17 * 60, End: 20 * 60})
		}
	}
	if len(out) == 0 {
		out = append(out, bsk.Slot{Day: bsk.Wednesday, Start: 12 * 60, End: 15 * 60})
	}
	return out
}

func (g *gen) pid() bsk.ProviderID {
	g.nextPID++
	return bsk.ProviderID(fmt.Sprintf("prov-%05d", g.nextPID))
}

func (g *gen) provider(o bsk.Organization, role bsk.Role) bsk.Provider {
	p := bsk.Provider{
		ID: g.pid(), OrganizationID: o.ID, Name: g.name(), Role: role,
		Demographics: g.demographics(),
	}
	ds := disciplineByKind[o.Kind]
	p.Disciplines = []bsk.Discipline{ds[g.r.IntN(len(ds))]}
	p.ServiceLevels = []bsk.ServiceLevel{bsk.ServicePromotion}
	if g.chance(0.6) {
		p.ServiceLevels = append(p.ServiceLevels, bsk.ServicePrevention)
	}
	if p.Disciplines[0] == bsk.DisciplineMentalHealthClinician || g.chance(0.1) {
		p.ServiceLevels = append(p.ServiceLevels, bsk.ServiceTreatment)
	}
	// About 30% work in a language besides English, more in agencies that
	// serve families in one; a few work only in another language.
	p.Languages = []bsk.Language{bsk.English}
	if len(o.Languages) > 1 && g.chance(0.45) {
		p.Languages = append(p.Languages, o.Languages[1+g.r.IntN(len(o.Languages)-1)])
	} else if g.chance(0.12) {
		p.Languages = append(p.Languages, g.otherLanguage())
	}
	if len(p.Languages) > 1 && g.chance(0.12) {
		p.Languages = p.Languages[1:]
	}
	edu := []bsk.Education{bsk.EducationHighSchool, bsk.EducationCDA, bsk.EducationAssociate, bsk.EducationBachelor, bsk.EducationMaster, bsk.EducationDoctorate}
	eduW := []float64{12, 10, 20, 35, 20, 3}
	if role != bsk.RoleDirectService {
		eduW = []float64{2, 3, 10, 40, 38, 7}
	}
	p.Education = edu[g.weighted(eduW)]
	switch p.Disciplines[0] {
	case bsk.DisciplinePediatrician, bsk.DisciplinePediatricResident:
		p.Education = bsk.EducationDoctorate
	case bsk.DisciplineMentalHealthClinician, bsk.DisciplineSpeechLanguageTherapist, bsk.DisciplineSocialWorker:
		if p.Education.Rank() < bsk.EducationMaster.Rank() {
			p.Education = bsk.EducationMaster
		}
	}
	p.YearsExperience = float64(g.r.IntN(20*2)) / 2
	if role != bsk.RoleDirectService {
		p.YearsExperience += 5
	}
	p.Endorsement = []bsk.Endorsement{bsk.EndorsementNone, bsk.EndorsementInfantFamilyAssociate, bsk.EndorsementInfantFamilySpecialist, bsk.EndorsementIMHSpecialist}[g.weighted([]float64{80, 9, 7, 4})]
	p.HoursPerWeek = []float64{20, 30, 32, 40}[g.weighted([]float64{10, 15, 15, 60})]
	p.Started = time.Date(2026-int(p.YearsExperience/2)-g.r.IntN(2), time.Month(1+g.r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
	p.Availability = g.availability(role == bsk.RoleDirectService)
	return p
}

// staff builds an organization's people: a director, a supervisor for about
// every six direct-service staff, reporting lines inside the organization.
func (g *gen) staff(o bsk.Organization, n int) []bsk.Provider {
	out := []bsk.Provider{g.provider(o, bsk.RoleDirector)}
	supervisors := []bsk.ProviderID{}
	for len(out) < n {
		if len(out) == 1 || (n-len(out) > 1 && (len(out)-1)%7 == 0) {
			s := g.provider(o, bsk.RoleSupervisor)
			s.ReportsTo = out[0].ID
			supervisors = append(supervisors, s.ID)
			out = append(out, s)
			continue
		}
		d := g.provider(o, bsk.RoleDirectService)
		d.ReportsTo = supervisors[len(supervisors)-1]
		out = append(out, d)
	}
	return out[:n]
}

func (g *gen) consultant(i int) bsk.Provider {
	o := bsk.Organization{ID: CoordinatorID, Kind: bsk.OrgClinic, Languages: []bsk.Language{bsk.English}}
	p := g.provider(o, bsk.RoleConsultant)
	p.ID = bsk.ProviderID(fmt.Sprintf("consultant-%02d", i+1))
	p.Disciplines = []bsk.Discipline{bsk.DisciplineMentalHealthClinician}
	p.ServiceLevels = []bsk.ServiceLevel{bsk.ServicePrevention, bsk.ServiceTreatment}
	p.Education = bsk.EducationMaster
	p.YearsExperience = float64(10 + g.r.IntN(20))
	p.Endorsement = []bsk.Endorsement{bsk.EndorsementIMHSpecialist, bsk.EndorsementIMHMentorClinical}[g.r.IntN(2)]
	// Consultants cover the main group languages: a quarter speak Spanish,
	// some Vietnamese, Chinese, Somali or Amharic.
	p.Languages = []bsk.Language{bsk.English}
	if extra := []bsk.Language{bsk.Spanish, bsk.Spanish, bsk.Vietnamese, bsk.Cantonese, bsk.Somali, bsk.Amharic, bsk.Spanish, bsk.Russian}; i < len(extra) {
		p.Languages = append(p.Languages, extra[i])
	}
	p.Availability = nil
	for _, d := range []bsk.Day{bsk.Monday, bsk.Tuesday, bsk.Wednesday, bsk.Thursday, bsk.Friday} {
		if g.chance(0.7) {
			p.Availability = append(p.Availability, bsk.Slot{Day: d, Start: 8 * 60, End: 17 * 60})
		}
	}
	if len(p.Availability) == 0 {
		p.Availability = []bsk.Slot{{Day: bsk.Tuesday, Start: 8 * 60, End: 17 * 60}}
	}
	return p
}

// offerings adds a year of monthly four-hour trainings in English with
// Spanish, Chinese and Vietnamese interpretation, a Spanish-language training
// each quarter, three communities of practice (one in Spanish), their
// sessions, and attendance: about 100 trainees a session, about three in
// four returning.
func (g *gen) offerings(w *bsk.Workforce, opts Options) {
	var staff []bsk.ProviderID
	var consultants []bsk.ProviderID
	for _, p := range w.Providers {
		if p.Role == bsk.RoleConsultant {
			consultants = append(consultants, p.ID)
		} else {
			staff = append(staff, p.ID)
		}
	}
	topics := []string{
		"Assessment", "Attachment", "IECMH fundamentals", "Working with high-risk families",
		"Neurodevelopmental differences", "DC:0-5 diagnosis", "Evidence-based practices",
		"Child development", "Culturally diverse families", "Reflective practice",
		"Racial equity in early childhood", "Perinatal mental health",
	}
	trainer := consultants[0]
	add := func(o bsk.Offering, sessions []time.Time, attendees func(i int) []bsk.ProviderID) {
		w.Offerings = append(w.Offerings, o)
		for i, start := range sessions {
			s := bsk.Session{ID: bsk.SessionID(fmt.Sprintf("%s-s%02d", o.ID, i+1)), OfferingID: o.ID, Starts: start, Minutes: o.SessionMinutes}
			w.Sessions = append(w.Sessions, s)
			for _, pid := range attendees(i) {
				w.Attendance = append(w.Attendance, bsk.Attendance{SessionID: s.ID, ProviderID: pid, Hours: float64(o.SessionMinutes) / 60, Credit: o.Kind.Credit()})
			}
		}
	}
	y := opts.Year
	regulars := g.sample(staff, min(len(staff), 90))
	for m := range 12 {
		o := bsk.Offering{
			ID: bsk.OfferingID(fmt.Sprintf("training-%d-%02d", y, m+1)), Kind: bsk.OfferingTraining,
			Title: "IECMH training: " + topics[m], Strategy: bsk.StrategyIECMH, Topic: topics[m],
			Language: bsk.English, Interpretation: []bsk.Language{bsk.Spanish, bsk.Chinese, bsk.Vietnamese},
			Capacity: 125, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 240,
			Starts: time.Date(y, time.Month(m+1), 15, 17, 0, 0, 0, time.UTC), Leaders: []bsk.ProviderID{trainer},
		}
		o.Ends = o.Starts
		add(o, []time.Time{o.Starts}, func(int) []bsk.ProviderID {
			// ~75% of a session are returning regulars, the rest newcomers.
			n := 75 + g.r.IntN(51)
			keep := g.sample(regulars, min(len(regulars), n*3/4))
			return dedupe(append(keep, g.sample(staff, n-len(keep))...))
		})
	}
	cops := []struct {
		topic string
		lang  bsk.Language
	}{{"Supporting families after migration", bsk.Spanish}, {"Reflective supervision", bsk.English}, {"Racial equity and healing", bsk.English}}
	for i, c := range cops {
		o := bsk.Offering{
			ID: bsk.OfferingID(fmt.Sprintf("cop-%d-%d", y, i+1)), Kind: bsk.OfferingCommunityOfPractice,
			Title: "Community of practice: " + c.topic, Strategy: bsk.StrategyWFD, Topic: c.topic, Language: c.lang,
			Capacity: 25, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90,
			Starts: time.Date(y, 9, 10, 18, 0, 0, 0, time.UTC), Ends: time.Date(y+1, 6, 10, 18, 0, 0, 0, time.UTC),
			Leaders: []bsk.ProviderID{consultants[(i+1)%len(consultants)]},
		}
		var pool []bsk.ProviderID
		for _, p := range w.Providers {
			if p.Role != bsk.RoleConsultant && p.Speaks(c.lang) {
				pool = append(pool, p.ID)
			}
		}
		members := g.sample(pool, min(len(pool), 15+g.r.IntN(10)))
		var starts []time.Time
		for m := range 9 {
			starts = append(starts, o.Starts.AddDate(0, m, 0))
		}
		add(o, starts, func(int) []bsk.ProviderID { return g.sample(members, len(members)*4/5) })
	}
}

// sample returns k distinct elements of xs in a seeded order.
func (g *gen) sample(xs []bsk.ProviderID, k int) []bsk.ProviderID {
	k = max(0, min(k, len(xs)))
	idx := g.r.Perm(len(xs))[:k]
	slices.Sort(idx)
	out := make([]bsk.ProviderID, k)
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

func dedupe(xs []bsk.ProviderID) []bsk.ProviderID {
	slices.Sort(xs)
	return slices.Compact(xs)
}
