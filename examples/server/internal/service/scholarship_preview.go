package service

import (
	"context"
	"slices"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// A staff preview of a reviewer's queue: what a consultant-reviewer would
// see, for the coordinator who set the assignment up. The preview reads
// the applications exactly as [Scholarships.ReviewQueue] gives them to the
// reviewer (the program's blind policy for the reviewer's role, and never
// demographics, whatever the previewer's own role may read), is marked as
// a preview, and is audited with the reviewer and the fields it hid.
//
//	what                            who
//	preview of a reviewer's queue   admin, coordinator (never a consultant,
//	                                for anyone's queue)

// PreviewRoles may preview a reviewer's queue: staff.
var PreviewRoles = []Role{RoleAdmin, RoleCoordinator}

// QueuePreview is what a reviewer would see in their blind queue, as staff
// preview it.
type QueuePreview struct {
	ReviewQueue
	// Preview is always true: this is not the reviewer's own reading, and
	// scoring from it is refused (scores come from the reviewer's queue).
	Preview bool `json:"preview"`
	// ReviewerRole is the role the queue is read as ("consultant").
	ReviewerRole Role `json:"reviewer_role"`
}

// PreviewQueue returns the queue reviewer (a provider ID among the
// assignment's reviewers) would read, as [Scholarships.ReviewQueue] gives
// it to them. The read is audited as a preview, naming the reviewer and
// every application's hidden fields.
//
// Errors: invalid for an empty reviewer, not_found for the program, the
// cycle, an assignment not made or a reviewer not in it, unauthorized for
// a role other than staff.
func (s *Scholarships) PreviewQueue(ctx context.Context, ref CycleRef, reviewer string) (QueuePreview, error) {
	if _, err := require(ctx, PreviewRoles...); err != nil {
		return QueuePreview{}, err
	}
	if reviewer == "" {
		return QueuePreview{}, bsk.Errors{bsk.Invalidf("reviewer", "a reviewer's provider ID is required")}
	}
	if _, _, err := s.cycle(ctx, ref); err != nil {
		return QueuePreview{}, err
	}
	a, err := s.assignment(ctx, ref)
	if err != nil {
		return QueuePreview{}, err
	}
	if !slices.ContainsFunc(a.Setup.Reviewers, func(r scholarship.Reviewer) bool { return string(r.ID) == reviewer }) {
		return QueuePreview{}, bsk.NotFoundf("reviewer", "no reviewer %q in the assignment of cycle %q", reviewer, ref.CycleID)
	}
	// The reviewer as the queue sees them: a consultant with their
	// provider record, who never sees demographics.
	as := Principal{Role: ReviewerRoles[0], ProviderID: reviewer}
	out := QueuePreview{ReviewQueue: ReviewQueue{Reviewer: reviewer}, Preview: true, ReviewerRole: as.Role}
	if out.Items, err = s.queueViews(ctx, ref, a, as); err != nil {
		return QueuePreview{}, err
	}
	audit := make([]string, 0, len(out.Items))
	for _, v := range out.Items {
		audit = append(audit, reviewer+"/"+v.Application.ID+" hidden="+strings.Join(v.Hidden, ","))
	}
	if len(audit) == 0 {
		audit = []string{reviewer + " (no applications)"}
	}
	if err := s.audit.Reads(ctx, "blind review preview", audit...); err != nil {
		return QueuePreview{}, err
	}
	return out, nil
}
