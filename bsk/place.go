package bsk

// Region is one of King County's four reporting regions.
type Region string

// The regions.
const (
	RegionSeattle Region = "seattle"
	RegionNorth   Region = "north"
	RegionEast    Region = "east"
	RegionSouth   Region = "south"
)

var regions = []Region{RegionSeattle, RegionNorth, RegionEast, RegionSouth}

// Valid reports whether r is a known region code.
func (r Region) Valid() bool { return validCode(r, regions) }

// Enum lists every region code.
func (Region) Enum() []string { return codesOf(regions) }

// Place is a city or community of King County, used for equity reporting by
// place. [OutsideKingCounty] marks a person who lives or works elsewhere.
type Place string

// OutsideKingCounty is the place code for anywhere outside King County.
const OutsideKingCounty Place = "outside_king_county"

type placeInfo struct {
	code   Place
	region Region
	rural  bool
}

// places lists King County's cities and larger unincorporated communities
// with their region. Rural marks places outside the urban growth area.
var placeTable = []placeInfo{
	{"seattle", RegionSeattle, false},
	{"shoreline", RegionNorth, false}, {"lake_forest_park", RegionNorth, false},
	{"kenmore", RegionNorth, false}, {"bothell", RegionNorth, false}, {"woodinville", RegionNorth, false},
	{"kirkland", RegionEast, false}, {"redmond", RegionEast, false}, {"bellevue", RegionEast, false},
	{"mercer_island", RegionEast, false}, {"issaquah", RegionEast, false}, {"sammamish", RegionEast, false},
	{"newcastle", RegionEast, false}, {"medina", RegionEast, false}, {"snoqualmie", RegionEast, true},
	{"north_bend", RegionEast, true}, {"duvall", RegionEast, true}, {"carnation", RegionEast, true},
	{"skykomish", RegionEast, true},
	{"renton", RegionSouth, false}, {"tukwila", RegionSouth, false}, {"seatac", RegionSouth, false},
	{"burien", RegionSouth, false}, {"des_moines", RegionSouth, false}, {"normandy_park", RegionSouth, false},
	{"kent", RegionSouth, false}, {"auburn", RegionSouth, false}, {"federal_way", RegionSouth, false},
	{"covington", RegionSouth, false}, {"maple_valley", RegionSouth, false}, {"white_center", RegionSouth, false},
	{"skyway", RegionSouth, false}, {"algona", RegionSouth, false}, {"pacific", RegionSouth, false},
	{"black_diamond", RegionSouth, true}, {"enumclaw", RegionSouth, true}, {"vashon", RegionSouth, true},
	{OutsideKingCounty, "", false},
}

var places = func() []Place {
	out := make([]Place, len(placeTable))
	for i, p := range placeTable {
		out[i] = p.code
	}
	return out
}()

// Valid reports whether p is a known place code.
func (p Place) Valid() bool { return validCode(p, places) }

// Enum lists every place code.
func (Place) Enum() []string { return codesOf(places) }

// Places lists every known place.
func Places() []Place { return append([]Place(nil), places...) }

func (p Place) info() placeInfo {
	for _, i := range placeTable {
		if i.code == p {
			return i
		}
	}
	return placeInfo{}
}

// Region returns the place's region, or "" outside King County or for an
// unknown place.
func (p Place) Region() Region { return p.info().region }

// Rural reports whether the place lies outside King County's urban growth
// area.
func (p Place) Rural() bool { return p.info().rural }

// InKingCounty reports whether p is a known King County place.
func (p Place) InKingCounty() bool { return p.Valid() && p != OutsideKingCounty }
