package bsk

import "slices"

// An enumeration in this package is a string type with stable lowercase
// codes. Each one has Valid, which reports whether a value is one of its
// codes, and Enum, which lists every code in a stable order (the JSON
// Schemas in the schema package are generated from Enum).

func validCode[T ~string](v T, all []T) bool { return slices.Contains(all, v) }

func codesOf[T ~string](all []T) []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = string(v)
	}
	return out
}

// checkCodes validates each element of a multi-valued enumeration field and
// reports duplicates.
func checkCodes[T ~string](p *Problems, field string, vals []T, valid func(T) bool, what string) {
	for i, v := range vals {
		if !valid(v) {
			p.Add(Index(field, i), "unknown %s code %q", what, string(v))
			continue
		}
		if slices.Index(vals, v) < i {
			p.Add(Index(field, i), "duplicate %s code %q", what, string(v))
		}
	}
}

// Strategy is one of the levy's three workforce strategies.
type Strategy string

// The strategies.
const (
	StrategyIECMH Strategy = "iecmh" // Infant and Early Childhood Mental Health
	StrategyESIT  Strategy = "esit"  // Early Support for Infants and Toddlers
	StrategyWFD   Strategy = "wfd"   // Workforce Development
)

var strategies = []Strategy{StrategyIECMH, StrategyESIT, StrategyWFD}

// Valid reports whether s is a known strategy code.
func (s Strategy) Valid() bool { return validCode(s, strategies) }

// Enum lists every strategy code.
func (Strategy) Enum() []string { return codesOf(strategies) }

// ServiceLevel is a level of the IECMH continuum a provider works at.
type ServiceLevel string

// The service levels.
const (
	ServicePromotion  ServiceLevel = "promotion"
	ServicePrevention ServiceLevel = "prevention"
	ServiceTreatment  ServiceLevel = "treatment"
)

var serviceLevels = []ServiceLevel{ServicePromotion, ServicePrevention, ServiceTreatment}

// Valid reports whether l is a known service level code.
func (l ServiceLevel) Valid() bool { return validCode(l, serviceLevels) }

// Enum lists every service level code.
func (ServiceLevel) Enum() []string { return codesOf(serviceLevels) }

// Role is what a person does in the workforce.
type Role string

// The roles.
const (
	RoleDirectService Role = "direct_service" // direct service staff
	RoleSupervisor    Role = "supervisor"
	RoleDirector      Role = "director" // directors and CEOs
	RoleConsultant    Role = "consultant"
	RoleTrainer       Role = "trainer"
	RoleMentor        Role = "mentor"
	RoleFacilitator   Role = "facilitator"
)

var roles = []Role{RoleDirectService, RoleSupervisor, RoleDirector, RoleConsultant, RoleTrainer, RoleMentor, RoleFacilitator}

// Valid reports whether r is a known role code.
func (r Role) Valid() bool { return validCode(r, roles) }

// Enum lists every role code.
func (Role) Enum() []string { return codesOf(roles) }

// Leads reports whether the role leads groups (consultant, trainer, mentor,
// facilitator) rather than joining them.
func (r Role) Leads() bool {
	switch r {
	case RoleConsultant, RoleTrainer, RoleMentor, RoleFacilitator:
		return true
	}
	return false
}

// Discipline is a provider's profession.
type Discipline string

// The disciplines named in the source documents.
const (
	DisciplineHomeVisitor               Discipline = "home_visitor"
	DisciplineDoula                     Discipline = "doula"
	DisciplineSpeechLanguageTherapist   Discipline = "speech_language_therapist"
	DisciplineChildCareHealthConsultant Discipline = "child_care_health_consultant"
	DisciplinePediatrician              Discipline = "pediatrician"
	DisciplinePediatricResident         Discipline = "pediatric_resident"
	DisciplineNurse                     Discipline = "nurse"
	DisciplineSocialWorker              Discipline = "social_worker"
	DisciplineChildCareProvider         Discipline = "child_care_provider"
	DisciplineFamilyResourceCoordinator Discipline = "family_resource_coordinator"
	DisciplineEarlyIntervention         Discipline = "early_intervention"
	DisciplineMentalHealthClinician     Discipline = "mental_health_clinician"
	DisciplineParentAlly                Discipline = "parent_ally"
	DisciplineCommunityHealer           Discipline = "community_healer"
	DisciplineOccupationalTherapist     Discipline = "occupational_therapist"
	DisciplinePhysicalTherapist         Discipline = "physical_therapist"
	DisciplineOther                     Discipline = "other"
)

var disciplines = []Discipline{
	DisciplineHomeVisitor, DisciplineDoula, DisciplineSpeechLanguageTherapist,
	DisciplineChildCareHealthConsultant, DisciplinePediatrician, DisciplinePediatricResident,
	DisciplineNurse, DisciplineSocialWorker, DisciplineChildCareProvider,
	DisciplineFamilyResourceCoordinator, DisciplineEarlyIntervention,
	DisciplineMentalHealthClinician, DisciplineParentAlly, DisciplineCommunityHealer,
	DisciplineOccupationalTherapist, DisciplinePhysicalTherapist, DisciplineOther,
}

// Valid reports whether d is a known discipline code.
func (d Discipline) Valid() bool { return validCode(d, disciplines) }

// Enum lists every discipline code.
func (Discipline) Enum() []string { return codesOf(disciplines) }

// Education is the highest education a person has completed.
type Education string

// The education levels, lowest first.
const (
	EducationNone       Education = "none"
	EducationHighSchool Education = "high_school"
	EducationCDA        Education = "cda"       // Child Development Associate credential
	EducationAssociate  Education = "associate" // AA, AAS or DTA
	EducationBachelor   Education = "bachelor"
	EducationMaster     Education = "master"
	EducationDoctorate  Education = "doctorate" // PhD, PsyD, EdD, MD
)

var educations = []Education{EducationNone, EducationHighSchool, EducationCDA, EducationAssociate, EducationBachelor, EducationMaster, EducationDoctorate}

// Valid reports whether e is a known education code.
func (e Education) Valid() bool { return validCode(e, educations) }

// Enum lists every education code, lowest first.
func (Education) Enum() []string { return codesOf(educations) }

// Rank orders education levels: none is 0, doctorate 6, an unknown code -1.
func (e Education) Rank() int { return slices.Index(educations, e) }

// AtLeast reports whether e is at or above min.
func (e Education) AtLeast(min Education) bool { return e.Rank() >= 0 && e.Rank() >= min.Rank() }

// Endorsement is an Infant Mental Health endorsement level (WA-AIMH, now the
// Center for Early Relational Health).
type Endorsement string

// The endorsement levels, lowest first.
const (
	EndorsementNone                     Endorsement = "none"
	EndorsementInfantFamilyAssociate    Endorsement = "infant_family_associate"
	EndorsementInfantFamilySpecialist   Endorsement = "infant_family_specialist"
	EndorsementIMHSpecialist            Endorsement = "infant_mental_health_specialist"
	EndorsementIMHMentorClinical        Endorsement = "infant_mental_health_mentor_clinical"
	EndorsementIMHMentorPolicy          Endorsement = "infant_mental_health_mentor_policy"
	EndorsementIMHMentorResearchFaculty Endorsement = "infant_mental_health_mentor_research_faculty"
)

var endorsements = []Endorsement{
	EndorsementNone, EndorsementInfantFamilyAssociate, EndorsementInfantFamilySpecialist,
	EndorsementIMHSpecialist, EndorsementIMHMentorClinical, EndorsementIMHMentorPolicy,
	EndorsementIMHMentorResearchFaculty,
}

// Valid reports whether e is a known endorsement code.
func (e Endorsement) Valid() bool { return validCode(e, endorsements) }

// Enum lists every endorsement code, lowest first.
func (Endorsement) Enum() []string { return codesOf(endorsements) }

// Rank orders the levels: none 0, associate 1, family specialist 2, IMH
// specialist 3, every mentor category 4; an unknown code -1.
func (e Endorsement) Rank() int {
	i := slices.Index(endorsements, e)
	if i > 4 {
		return 4
	}
	return i
}

// OrganizationKind is what kind of agency an organization is.
type OrganizationKind string

// The organization kinds.
const (
	OrgCommunityBased OrganizationKind = "community_based"
	OrgClinic         OrganizationKind = "clinic"
	OrgHospital       OrganizationKind = "hospital"
	OrgChildCare      OrganizationKind = "child_care"
	OrgHomeVisiting   OrganizationKind = "home_visiting"
	OrgEarlyIntervent OrganizationKind = "early_intervention"
	OrgSchoolDistrict OrganizationKind = "school_district"
	OrgPublicAgency   OrganizationKind = "public_agency"
	OrgTribal         OrganizationKind = "tribal"
	OrgCoordinator    OrganizationKind = "coordinator"
)

var orgKinds = []OrganizationKind{OrgCommunityBased, OrgClinic, OrgHospital, OrgChildCare, OrgHomeVisiting, OrgEarlyIntervent, OrgSchoolDistrict, OrgPublicAgency, OrgTribal, OrgCoordinator}

// Valid reports whether k is a known organization kind code.
func (k OrganizationKind) Valid() bool { return validCode(k, orgKinds) }

// Enum lists every organization kind code.
func (OrganizationKind) Enum() []string { return codesOf(orgKinds) }
