package plugins

import (
	"context"
	"encoding/json"
	"math"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// ScoreInput is the JSON input of a criterion call: a batch of
// applications.
type ScoreInput struct {
	Applications []scholarship.Application `json:"applications"`
}

// ScoreOutput is the JSON output of a criterion call: one result per
// application, in the batch's order.
type ScoreOutput struct {
	Results []ScoreResult `json:"results"`
}

// ScoreResult is a criterion's score of one application, or the error
// that kept it from scoring it.
type ScoreResult struct {
	scholarship.Points
	Error *bsk.Error `json:"error,omitempty"`
}

// Criterion is a rubric criterion served by a plug-in. It satisfies
// [scholarship.Criterion]. Score sends the batch in calls of BatchSize
// applications, two calls at a time. Any failure, including one on a single application (a
// panic, a value outside [0, 1]), fails Score with an [*Error] naming the
// plug-in, the criterion and the applications: a score cannot be "needs
// review", so the rubric must not go on with a partial one.
type Criterion struct {
	c    *Client
	name string
	// BatchSize is the number of applications per call; 0 means 1000.
	BatchSize int
}

var _ scholarship.Criterion = (*Criterion)(nil)

// NewCriterion returns the plug-in's criterion named name; one the
// plug-in does not provide is [bsk.CodeNotFound].
func NewCriterion(c *Client, name string) (*Criterion, error) {
	for _, r := range c.Info().Rules {
		if r.Kind == KindCriterion && r.Name == name {
			return &Criterion{c: c, name: name}, nil
		}
	}
	return nil, &Error{Plugin: c.Name(), Kind: KindCriterion, Rule: name, Err: bsk.NotFoundf("rule", "the plugin provides no criterion %q", name)}
}

// Score scores the batch; see [Criterion].
func (k *Criterion) Score(ctx context.Context, batch []scholarship.Application) ([]scholarship.Points, error) {
	size := k.BatchSize
	if size <= 0 {
		size = 1000
	}
	out := make([]scholarship.Points, len(batch))
	err := inChunks(len(batch), size, func(start, end int) error {
		chunk := batch[start:end]
		ids := make([]string, len(chunk))
		for i, a := range chunk {
			ids[i] = a.ID
		}
		fail := func(items []string, err *bsk.Error) error {
			return &Error{Plugin: k.c.Name(), Kind: KindCriterion, Rule: k.name, Items: firstItems(items), Err: err}
		}
		var res ScoreOutput
		if err := k.c.Call(ctx, KindCriterion, k.name, ids, ScoreInput{Applications: chunk}, &res); err != nil {
			return err
		}
		if len(res.Results) != len(chunk) {
			return fail(ids, bsk.Errorf(bsk.CodeInternal, "returned %d results for %d applications", len(res.Results), len(chunk)))
		}
		for i, r := range res.Results {
			switch {
			case r.Error != nil:
				return fail(ids[i:i+1], fromWire(r.Error))
			case math.IsNaN(r.Value) || r.Value < 0 || r.Value > 1:
				return fail(ids[i:i+1], &bsk.Error{Code: bsk.CodeInternal, Field: "value", Message: "points outside [0, 1]"})
			}
			out[start+i] = r.Points
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Scoring serves a rubric criterion from a plug-in (see [Serve]). If c
// panics on a batch, the batch is scored again one application at a time,
// so that the error names the applications it panics on.
func Scoring(info scholarship.RuleInfo, c scholarship.Criterion) Handler {
	return Handler{
		Kind: KindCriterion, Rule: info.Name, Version: info.Version, Description: info.Description,
		Func: func(ctx context.Context, input json.RawMessage) (any, error) {
			var in ScoreInput
			if err := json.Unmarshal(input, &in); err != nil {
				return nil, bsk.Errorf(bsk.CodeInvalid, "decode applications: %v", err)
			}
			pts, err := safeCall(ctx, c.Score, in.Applications)
			out := ScoreOutput{Results: make([]ScoreResult, len(in.Applications))}
			switch {
			case err != nil && isPanic(err):
				for i := range in.Applications {
					p, err := safeCall(ctx, c.Score, in.Applications[i:i+1:i+1])
					switch {
					case err != nil:
						out.Results[i].Error = wireError(err)
					case len(p) != 1:
						out.Results[i].Error = bsk.Errorf(bsk.CodeInternal, "criterion returned %d results for 1 application", len(p))
					default:
						out.Results[i].Points = p[0]
					}
				}
				return out, nil
			case err != nil:
				return nil, err
			case len(pts) != len(in.Applications):
				return nil, bsk.Errorf(bsk.CodeInternal, "criterion returned %d results for %d applications", len(pts), len(in.Applications))
			}
			for i, p := range pts {
				out.Results[i].Points = p
			}
			return out, nil
		},
	}
}
