package service

import (
	"context"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// TestFormRules: each rule the pages ask before showing a form says yes
// to exactly the roles whose calls the service does not refuse.
func TestFormRules(t *testing.T) {
	svc := testServices(t, &lockedBuffer{})
	ctx := context.Background()
	ref := CycleRef{ProgramID: "no-such", CycleID: "2026"}
	for _, c := range []struct {
		name  string
		rule  func(Principal) bool
		calls []func(context.Context) error
	}{
		{"MayInvoice", MayInvoice, []func(context.Context) error{
			func(ctx context.Context) error {
				_, err := svc.Program.CreateInvoice(ctx, InvoiceRequest{Month: "bad"})
				return err
			},
			func(ctx context.Context) error { _, err := svc.Program.GetInvoice(ctx, "no-such"); return err },
		}},
		{"MayAssignReviewers", MayAssignReviewers, []func(context.Context) error{
			func(ctx context.Context) error { _, err := svc.Scholarships.Assignment(ctx, ref, ""); return err },
			func(ctx context.Context) error {
				_, err := svc.Scholarships.AssignReviewers(ctx, ref, ReviewSetup{}, "")
				return err
			},
		}},
		{"MayReview", MayReview, []func(context.Context) error{
			func(ctx context.Context) error { _, err := svc.Scholarships.ReviewQueue(ctx, ref); return err },
			func(ctx context.Context) error {
				_, err := svc.Scholarships.PostQueueReviews(ctx, ref, nil)
				return err
			},
		}},
		{"MayReadPipeline", MayReadPipeline, []func(context.Context) error{
			func(ctx context.Context) error {
				_, err := svc.Scholarships.Pipeline(ctx, RunRef{CycleRef: ref, RunID: "no-such"}, PipelineQuery{})
				return err
			},
		}},
	} {
		for _, role := range Roles {
			p := Principal{KeyID: "k-" + string(role), Role: role, OrganizationID: "org-001", ProviderID: "prov-00001"}
			for i, call := range c.calls {
				err := call(WithPrincipal(ctx, p))
				if refused := bsk.ErrorCode(err) == bsk.CodeUnauthorized; refused == c.rule(p) {
					t.Errorf("%s(%s) = %v, but call %d answers %v", c.name, role, c.rule(p), i, err)
				}
			}
		}
	}
}
