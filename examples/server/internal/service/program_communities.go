package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
)

// CommunityRequest places participants in communities of practice by
// their rankings.
type CommunityRequest struct {
	// Communities are the communities that may open.
	Communities []Community `json:"communities"`
	// Rankings are the participants' rankings of them.
	Rankings []CommunityRanking `json:"rankings"`
	// Fallback places participants whose ranked communities are full in
	// any community with room in a language they speak.
	Fallback bool `json:"fallback,omitempty"`
}

// Community is a community of practice that may open.
type Community struct {
	// ID names it: an offering ID, say.
	ID string `json:"id"`
	// Topic is its self-identified topic.
	Topic string `json:"topic,omitempty"`
	// Language is the language it meets in; members must speak it.
	Language bsk.Language `json:"language"`
	// Capacity is the most members it takes, at least 1.
	Capacity int `json:"capacity"`
	// MinSize is the fewest it opens with; 0 means any number.
	MinSize int `json:"min_size,omitempty"`
}

// CommunityRanking is one participant's ranking.
type CommunityRanking struct {
	// ProviderID is the participant; their languages are those on file.
	ProviderID bsk.ProviderID `json:"provider_id"`
	// Ranked lists community IDs, first preference first.
	Ranked []string `json:"ranked"`
}

// CommunityPlacement places participants in communities of practice.
type CommunityPlacement struct {
	// Placed gives each placed participant's community.
	Placed map[bsk.ProviderID]string `json:"placed"`
	// Open lists the communities that open, with their members' count.
	Open map[string]int `json:"open"`
	// NotOpened lists the communities that do not open, in request order.
	NotOpened []string `json:"not_opened"`
	// Unplaced lists participants placed nowhere, and why.
	Unplaced []UnplacedMember `json:"unplaced"`
	// ByRank counts participants who got their first, second, ... choice.
	ByRank []int `json:"by_rank"`
	// Language is the language of the reasons' texts.
	Language string `json:"language"`
}

// PlaceCommunities places participants in communities of practice by
// their rankings and the languages on file (see [grouping.AssignChoices]):
// a community below its minimum size does not open and its participants
// go to their next choices; everyone placed nowhere has a reason, in
// language lang (as grouping.TextLanguage reads it).
//
// Errors: invalid (naming /communities/<i>/... or /rankings/<i>/...),
// not_found (/rankings/<i>/provider_id, a ranked community),
// unauthorized.
func (pr *Program) PlaceCommunities(ctx context.Context, req CommunityRequest, lang string) (CommunityPlacement, error) {
	p, err := require(ctx, ProgramRoles...)
	if err != nil {
		return CommunityPlacement{}, err
	}
	var problems bsk.Problems
	prob := grouping.ChoiceProblem{Fallback: req.Fallback}
	for i, c := range req.Communities {
		if !c.Language.Valid() {
			problems.Add(fmt.Sprintf("/communities/%d/language", i), "unknown language code %q", c.Language)
		}
		prob.Choices = append(prob.Choices, grouping.Choice{ID: c.ID, Capacity: c.Capacity, MinSize: c.MinSize, Languages: []string{string(c.Language)}})
	}
	names := map[grouping.MemberID]string{}
	for i, r := range req.Rankings {
		rec, err := pr.db.Get(ctx, store.Providers, string(r.ProviderID))
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, store.Providers, rec)) {
			problems.AddCode(bsk.CodeNotFound, fmt.Sprintf("/rankings/%d/provider_id", i), "unknown provider %q", r.ProviderID)
			continue
		}
		if err != nil {
			return CommunityPlacement{}, err
		}
		pv, err := decode[bsk.Provider]("provider", rec)
		if err != nil {
			return CommunityPlacement{}, err
		}
		names[grouping.MemberID(pv.ID)] = pv.Name
		ch := grouping.Chooser{ID: grouping.MemberID(pv.ID), Ranked: r.Ranked}
		for _, l := range pv.Languages {
			ch.Languages = append(ch.Languages, string(l))
		}
		prob.Choosers = append(prob.Choosers, ch)
	}
	if err := problems.Err(); err != nil {
		return CommunityPlacement{}, err
	}
	asg, err := grouping.AssignChoices(ctx, prob)
	if err != nil {
		return CommunityPlacement{}, choicePointers(err)
	}
	out := CommunityPlacement{Placed: map[bsk.ProviderID]string{}, Open: map[string]int{}, NotOpened: []string{}, Unplaced: []UnplacedMember{},
		ByRank: asg.ByRank, Language: grouping.TextLanguage(lang)}
	for m, c := range asg.Placed {
		out.Placed[bsk.ProviderID(m)] = c
		out.Open[c]++
	}
	for _, c := range req.Communities {
		if out.Open[c.ID] == 0 {
			out.NotOpened = append(out.NotOpened, c.ID)
		}
	}
	texts := grouping.Texts{}
	for _, u := range asg.Unplaced {
		out.Unplaced = append(out.Unplaced, UnplacedMember{Member: u.Member, Name: names[u.Member], Reason: reasonText(texts, u.Reason, lang)})
	}
	return out, nil
}

// choicePointers renames a choice problem's fields as the request's:
// choices[i].capacity is /communities/i/capacity, choosers[i].ranked[k]
// is /rankings/i/ranked/k.
func choicePointers(err error) error {
	return renameFields(err, choiceFields.Replace)
}

// choiceFields renames a choice problem's field paths as the request's.
var choiceFields = strings.NewReplacer("choices[", "/communities/", "choosers[", "/rankings/", "].", "/", "[", "/", "]", "", ".", "/")
