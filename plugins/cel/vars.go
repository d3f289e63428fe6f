package cel

import (
	"slices"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/scholarship"
)

// Variable is a value of the application (or of a grouping member) that a
// rule file may declare in its variables and read by name.
type Variable struct {
	// Name is the name the expressions read, e.g. "hours_per_week".
	Name string
	// Type is the CEL type, e.g. "double", "list(string)".
	Type string
	// Doc says which input it is.
	Doc string
	// Demographic is true for the applicant's self-reported demographics:
	// a rule may read them only when [Options.Demographics] allows.
	Demographic bool

	typ *cel.Type
}

type appVar struct {
	Variable
	get func(*scholarship.Application) ref.Val
}

type memberVar struct {
	Variable
	get func(*memberActivation) ref.Val
}

func variable(name string, t *cel.Type, doc string) Variable {
	typeName := t.String()
	if t.IsExactType(cel.TimestampType) {
		typeName = "timestamp"
	}
	return Variable{Name: name, Type: typeName, Doc: doc, typ: t}
}

var (
	listString      = cel.ListType(cel.StringType)
	mapStringString = cel.MapType(cel.StringType, cel.StringType)
)

func strs[S ~string](l []S) ref.Val {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = string(s)
	}
	return types.NewStringList(types.DefaultTypeAdapter, out)
}

func employer(a *scholarship.Application) *bsk.Organization {
	if a.Applicant.Employer == nil {
		return &bsk.Organization{}
	}
	return a.Applicant.Employer
}

// appVars lists the application's variables, in the order [Variables]
// returns them.
var appVars = []appVar{
	{variable("hours_per_week", cel.DoubleType, "applicant.hours_per_week: usual paid hours a week"),
		func(a *scholarship.Application) ref.Val { return types.Double(a.Applicant.HoursPerWeek) }},
	{variable("months_employed", cel.IntType, "applicant.months_employed: months at the employer"),
		func(a *scholarship.Application) ref.Val { return types.Int(a.Applicant.MonthsEmployed) }},
	{variable("hired", cel.BoolType, "applicant.hired: hired but not started yet"),
		func(a *scholarship.Application) ref.Val { return types.Bool(a.Applicant.Hired) }},
	{variable("years_experience", cel.DoubleType, "applicant.years_experience: paid years in the field"),
		func(a *scholarship.Application) ref.Val { return types.Double(a.Applicant.YearsExperience) }},
	{variable("languages", listString, "applicant.languages: language codes the applicant works in"),
		func(a *scholarship.Application) ref.Val { return strs(a.Applicant.Languages) }},
	{variable("education", cel.StringType, "applicant.education: highest education code"),
		func(a *scholarship.Application) ref.Val { return types.String(a.Applicant.Education) }},
	{variable("endorsement", cel.StringType, "applicant.endorsement: current endorsement level code"),
		func(a *scholarship.Application) ref.Val { return types.String(a.Applicant.Endorsement) }},
	{variable("reflective_hours", cel.DoubleType, "applicant.reflective_hours: hours of reflective supervision"),
		func(a *scholarship.Application) ref.Val { return types.Double(a.Applicant.ReflectiveHours) }},
	{variable("training_hours", cel.DoubleType, "applicant.training_hours: hours of relevant training"),
		func(a *scholarship.Application) ref.Val { return types.Double(a.Applicant.TrainingHours) }},
	{variable("place", cel.StringType, "applicant.place: where the applicant works (a place code)"),
		func(a *scholarship.Application) ref.Val { return types.String(a.Applicant.Place) }},
	{variable("organization", cel.StringType, "applicant.employer.id: the employer's organization ID, empty for none"),
		func(a *scholarship.Application) ref.Val { return types.String(employer(a).ID) }},
	{variable("organization_name", cel.StringType, "applicant.employer.name"),
		func(a *scholarship.Application) ref.Val { return types.String(employer(a).Name) }},
	{variable("organization_kind", cel.StringType, "applicant.employer.kind: the kind of agency (the applicant's role is not in an application)"),
		func(a *scholarship.Application) ref.Val { return types.String(employer(a).Kind) }},
	{variable("organization_place", cel.StringType, "applicant.employer.place"),
		func(a *scholarship.Application) ref.Val { return types.String(employer(a).Place) }},
	{variable("serves_young_children", cel.BoolType, "applicant.employer.serves_young_children"),
		func(a *scholarship.Application) ref.Val { return types.Bool(employer(a).ServesYoungChildren) }},
	{variable("requested", cel.MapType(cel.StringType, cel.IntType), "requested: cents asked for, by category"),
		func(a *scholarship.Application) ref.Val {
			m := make(map[string]int64, len(a.Requested))
			for c, v := range a.Requested {
				m[string(c)] = int64(v)
			}
			return types.DefaultTypeAdapter.NativeToValue(m)
		}},
	{variable("requested_total", cel.IntType, "the sum requested, in cents"),
		func(a *scholarship.Application) ref.Val { return types.Int(a.Total()) }},
	{variable("prior_awards", cel.IntType, "prior_awards: cents received from the program in earlier cycles"),
		func(a *scholarship.Application) ref.Val { return types.Int(a.PriorAwards) }},
	{variable("documents", listString, "documents: names of the documents attached"),
		func(a *scholarship.Application) ref.Val { return strs(a.Documents) }},
	{variable("enrolled_program", cel.StringType, "answers.enrolled_program"),
		func(a *scholarship.Application) ref.Val { return types.String(a.Answers.EnrolledProgram) }},
	{variable("employer_confirmed", cel.BoolType, "answers.employer_confirmed"),
		func(a *scholarship.Application) ref.Val { return types.Bool(a.Answers.EmployerConfirmed) }},
	{variable("first_generation", cel.BoolType, "answers.first_generation"),
		func(a *scholarship.Application) ref.Val { return types.Bool(a.Answers.FirstGeneration) }},
	{variable("lived_experience", cel.BoolType, "answers.lived_experience"),
		func(a *scholarship.Application) ref.Val { return types.Bool(a.Answers.LivedExperience) }},
	{variable("serves_rural", cel.BoolType, "answers.serves_rural"),
		func(a *scholarship.Application) ref.Val { return types.Bool(a.Answers.ServesRural) }},
	{variable("financial_need", cel.IntType, "answers.financial_need: 0 (none) to 3 (high)"),
		func(a *scholarship.Application) ref.Val { return types.Int(a.Answers.FinancialNeed) }},
	{variable("program", cel.StringType, "program_id"),
		func(a *scholarship.Application) ref.Val { return types.String(a.ProgramID) }},
	{variable("cycle", cel.StringType, "cycle_id"),
		func(a *scholarship.Application) ref.Val { return types.String(a.CycleID) }},
	{variable("submitted", cel.TimestampType, "submitted: when the application was submitted"),
		func(a *scholarship.Application) ref.Val { return types.Timestamp{Time: a.Submitted} }},
	{demographic(variable("race", listString, "applicant.demographics.race: race and ethnicity codes")),
		func(a *scholarship.Application) ref.Val { return strs(a.Applicant.Demographics.Race) }},
	{demographic(variable("gender", cel.StringType, "applicant.demographics.gender")),
		func(a *scholarship.Application) ref.Val { return types.String(a.Applicant.Demographics.Gender) }},
	{demographic(variable("age_band", cel.StringType, "applicant.demographics.age_band")),
		func(a *scholarship.Application) ref.Val { return types.String(a.Applicant.Demographics.AgeBand) }},
	{demographic(variable("income", cel.StringType, "applicant.demographics.income")),
		func(a *scholarship.Application) ref.Val { return types.String(a.Applicant.Demographics.Income) }},
	{demographic(variable("home_place", cel.StringType, "applicant.demographics.place: where the applicant lives")),
		func(a *scholarship.Application) ref.Val { return types.String(a.Applicant.Demographics.Place) }},
}

// appIndex finds an application variable by name.
var appIndex = func() map[string]int {
	m := make(map[string]int, len(appVars))
	for i, v := range appVars {
		m[v.Name] = i
	}
	return m
}()

func demographic(v Variable) Variable { v.Demographic = true; return v }

// memberVars lists a grouping member's variables.
var memberVars = []memberVar{
	{variable("id", cel.StringType, "the member's ID"),
		func(m *memberActivation) ref.Val { return types.String(m.m.ID) }},
	{variable("attrs", mapStringString, "the member's categorical attributes by name"),
		func(m *memberActivation) ref.Val { return types.DefaultTypeAdapter.NativeToValue(attrsOf(m.m)) }},
	{variable("sets", cel.MapType(cel.StringType, listString), "the member's set-valued attributes by name"),
		func(m *memberActivation) ref.Val { return types.DefaultTypeAdapter.NativeToValue(setsOf(m.m)) }},
	{variable("nums", cel.MapType(cel.StringType, cel.DoubleType), "the member's numeric attributes by name"),
		func(m *memberActivation) ref.Val { return types.DefaultTypeAdapter.NativeToValue(numsOf(m.m)) }},
	{variable("members", cel.MapType(cel.StringType, cel.BoolType), "every member ID of the problem, as a map's keys: write `x in members`"),
		func(m *memberActivation) ref.Val { return m.members }},
}

func attrsOf(m *grouping.Member) map[string]string {
	if m.Attrs == nil {
		return map[string]string{}
	}
	return m.Attrs
}

func setsOf(m *grouping.Member) map[string][]string {
	if m.Sets == nil {
		return map[string][]string{}
	}
	return m.Sets
}

func numsOf(m *grouping.Member) map[string]float64 {
	if m.Nums == nil {
		return map[string]float64{}
	}
	return m.Nums
}

// Variables lists what an eligibility rule may read, with their CEL types.
func Variables() []Variable {
	out := make([]Variable, len(appVars))
	for i, v := range appVars {
		out[i] = v.Variable
	}
	return out
}

// MemberVariables lists what a grouping rule may read, with their CEL
// types.
func MemberVariables() []Variable {
	out := make([]Variable, len(memberVars))
	for i, v := range memberVars {
		out[i] = v.Variable
	}
	return out
}

func findVar[V any](list []V, name func(V) string, n string) (V, bool) {
	i := slices.IndexFunc(list, func(v V) bool { return name(v) == n })
	if i < 0 {
		var zero V
		return zero, false
	}
	return list[i], true
}
