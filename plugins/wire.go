package plugins

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/beststarts/workforce/bsk"
)

// Kind names what a rule does, and so the JSON documents its calls carry.
type Kind string

// The rule kinds.
const (
	// KindEligibility is a scholarship eligibility rule: a batch of
	// applications in, reasons per application out.
	KindEligibility Kind = "eligibility"
	// KindCriterion is a scholarship rubric criterion: a batch of
	// applications in, a score per application out.
	KindCriterion Kind = "criterion"
	// KindGrouping is a grouping rule: one problem in, one amendment out.
	KindGrouping Kind = "grouping"
)

// Info describes a plug-in, as its Info call returns it.
type Info struct {
	// Name is the plug-in's name, the same as its catalog entry's.
	Name string `json:"name"`
	// Version is the plug-in's semantic version, such as "1.2.0".
	Version string `json:"version"`
	// Agency is the agency that wrote and owns the plug-in.
	Agency string `json:"agency"`
	// Protocol is the wire protocol version the plug-in speaks.
	Protocol int `json:"protocol"`
	// Rules lists the rules the plug-in provides.
	Rules []RuleInfo `json:"rules"`
}

// RuleInfo describes one rule a plug-in provides.
type RuleInfo struct {
	// Name identifies the rule within its plug-in and kind.
	Name string `json:"name"`
	// Kind is what the rule does.
	Kind Kind `json:"kind"`
	// Version is the rule's version; it changes whenever its logic does.
	Version string `json:"version,omitempty"`
	// Description says in a sentence what the rule decides.
	Description string `json:"description"`
	// Texts are the texts of the reason codes the rule gives, shown to
	// applicants: for each code, a template per language ("en" is
	// required; "es" and the county's other languages as the agency
	// provides them) with the reason's {param}s, such as "You have worked
	// {months} months at your agency; {required} are required.". A
	// language without a template reads English. A rule that declares
	// texts must give only the codes it declares; the host refuses a
	// plug-in with a declared code that has no English text.
	Texts map[string]map[string]string `json:"texts,omitempty"`
}

// Request is the JSON document a Call carries to a plug-in.
type Request struct {
	// Kind and Rule select the rule.
	Kind Kind   `json:"kind"`
	Rule string `json:"rule"`
	// Input is the batch, a JSON document whose shape depends on Kind.
	Input json.RawMessage `json:"input"`
}

// Response is the JSON document a plug-in returns from a Call: either
// Output or Error.
type Response struct {
	// Output is the result, a JSON document whose shape depends on the
	// request's Kind.
	Output json.RawMessage `json:"output,omitempty"`
	// Error is the failure of the whole call, with one of the bsk codes.
	Error *bsk.Error `json:"error,omitempty"`
}

// The gRPC names of the envelope service; see plugin.proto.
const (
	serviceName = "beststarts.workforce.plugin.v1.Plugin"
	methodInfo  = "/" + serviceName + "/Info"
	methodCall  = "/" + serviceName + "/Call"
)

// envelope is what the service's server side implements.
type envelope interface {
	info(ctx context.Context) ([]byte, error)
	call(ctx context.Context, req []byte) ([]byte, error)
}

func unary(method string, do func(envelope, context.Context, []byte) ([]byte, error)) grpc.MethodDesc {
	return grpc.MethodDesc{
		MethodName: method,
		Handler: func(srv any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
			in := new(wrapperspb.BytesValue)
			if err := dec(in); err != nil {
				return nil, err
			}
			h := func(ctx context.Context, req any) (any, error) {
				out, err := do(srv.(envelope), ctx, req.(*wrapperspb.BytesValue).GetValue())
				if err != nil {
					return nil, err
				}
				return wrapperspb.Bytes(out), nil
			}
			if icpt == nil {
				return h(ctx, in)
			}
			return icpt(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: "/" + serviceName + "/" + method}, h)
		},
	}
}

// serviceDesc is the hand-written equivalent of what protoc-gen-go-grpc
// would generate from plugin.proto.
var serviceDesc = grpc.ServiceDesc{
	ServiceName: serviceName,
	HandlerType: (*envelope)(nil),
	Methods: []grpc.MethodDesc{
		unary("Info", func(e envelope, ctx context.Context, _ []byte) ([]byte, error) { return e.info(ctx) }),
		unary("Call", func(e envelope, ctx context.Context, b []byte) ([]byte, error) { return e.call(ctx, b) }),
	},
	Metadata: "plugins/plugin.proto",
}

// wire is the client side of the envelope service.
type wire struct{ conn *grpc.ClientConn }

func (w wire) invoke(ctx context.Context, method string, in []byte) ([]byte, error) {
	out := new(wrapperspb.BytesValue)
	if err := w.conn.Invoke(ctx, method, wrapperspb.Bytes(in), out); err != nil {
		return nil, err
	}
	return out.GetValue(), nil
}

// grpcPlugin is the go-plugin glue: the server side registers the envelope
// service, the client side returns a wire.
type grpcPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	srv envelope
}

func (p *grpcPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	s.RegisterService(&serviceDesc, p.srv)
	return nil
}

func (p *grpcPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return wire{conn: c}, nil
}

// encodeRequest writes a Request without re-encoding input, which
// json.Marshal would scan and compact again: a batch's input is large.
func encodeRequest(kind Kind, rule string, input []byte) []byte {
	k, _ := json.Marshal(kind)
	r, _ := json.Marshal(rule)
	b := make([]byte, 0, len(input)+len(k)+len(r)+32)
	b = append(b, `{"kind":`...)
	b = append(b, k...)
	b = append(b, `,"rule":`...)
	b = append(b, r...)
	b = append(b, `,"input":`...)
	b = append(b, input...)
	return append(b, '}')
}

// encodeOutput writes a Response holding output, without re-encoding it.
func encodeOutput(output []byte) []byte {
	b := make([]byte, 0, len(output)+12)
	b = append(b, `{"output":`...)
	b = append(b, output...)
	return append(b, '}')
}
