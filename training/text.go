package training

import (
	"embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/beststarts/workforce/scholarship"
)

// The message catalogs of the package's reasons: one JSON file per
// language under texts/ (the languages of [scholarship.Languages]), which
// translators edit; each holds the reasons' texts with {param}
// placeholders and the names of roles and leader requirements.
//
//go:embed texts/*.json
var catalogFiles embed.FS

// catalog is one language's file.
type catalog struct {
	Language     string            `json:"language"`
	Name         string            `json:"name"`
	Note         string            `json:"note"`
	Reasons      map[string]string `json:"reasons"`
	Roles        map[string]string `json:"roles"`
	Requirements map[string]string `json:"requirements"`
	Words        map[string]string `json:"words"`
}

// catalogs loads every language's file once; a file that does not parse
// is a bug the package's tests catch, so it panics at first use.
var catalogs = sync.OnceValue(func() map[scholarship.Lang]*catalog {
	out := map[scholarship.Lang]*catalog{}
	for _, l := range scholarship.Languages() {
		b, err := catalogFiles.ReadFile("texts/" + string(l) + ".json")
		if err != nil {
			panic(fmt.Errorf("training texts: %w", err))
		}
		var c catalog
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil || c.Language != string(l) {
			panic(fmt.Errorf("training texts/%s.json: language %q: %v", l, c.Language, err))
		}
		out[l] = &c
	}
	return out
})

// ReasonCodes lists the codes of the package's reasons that have a text
// of their own, sorted: the [Audience] and [SameOrganization] rules',
// [CodeRefused] and [ReasonLeaderTraining]. [CodeAgencyNotYoungChildren]
// is scholarship's code of the same name and reads its text.
func ReasonCodes() []string {
	return slices.Sorted(maps.Keys(catalogs()[scholarship.EnglishText].Reasons))
}

// Text renders a reason of the package's rules in language l, with its
// parameters in that language (roles and leader requirements by their
// names); a language without the text reads English, names too. A reason
// of another code renders as [scholarship.Reason.Text] does.
func Text(r scholarship.Reason, l scholarship.Lang) string {
	en := catalogs()[scholarship.EnglishText]
	if _, own := en.Reasons[r.Code]; !own {
		return r.Text(l)
	}
	c, ok := catalogs()[l]
	if !ok || c.Reasons[r.Code] == "" {
		c, l = en, scholarship.EnglishText
	}
	params := make(map[string]string, len(r.Params))
	for k, v := range r.Params {
		switch k {
		case "role":
			v = c.name(c.Roles, en.Roles, v)
		case "roles":
			var names []string
			for _, role := range strings.Split(v, ",") {
				names = append(names, c.name(c.Roles, en.Roles, strings.TrimSpace(role)))
			}
			v = c.join(names)
		case "requirement":
			v = c.name(c.Requirements, en.Requirements, v)
		}
		params[k] = v
	}
	texts := scholarship.Texts{r.Code: {l: c.Reasons[r.Code]}}
	return texts.Text(scholarship.Reason{Code: r.Code, Params: params}, l)
}

// name is code's name in names, else in English's, else its words.
func (c *catalog) name(names, english map[string]string, code string) string {
	if n := names[code]; n != "" {
		return n
	}
	if n := english[code]; n != "" {
		return n
	}
	return strings.ReplaceAll(code, "_", " ")
}

// join lists names as "A, B or C" in the catalog's language.
func (c *catalog) join(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	if c.Words["list"] == "、" {
		return strings.Join(names, c.Words["list"])
	}
	return strings.Join(names[:len(names)-1], c.Words["list"]) + " " + c.Words["or"] + " " + names[len(names)-1]
}
