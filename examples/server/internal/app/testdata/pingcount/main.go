// Command pingcount is a test plug-in that counts the host's health
// checks: it appends a line to the file given by -count for every ping it
// answers, so a test can tell how often the server pinged it. It speaks
// the plug-in protocol written from scratch (as a plug-in in another
// language would), since the SDK leaves no place to watch the pings; its
// one rule, "yes", finds every applicant eligible.
package main

import (
	"context"
	"flag"
	"os"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/beststarts/workforce/plugins"
)

func main() {
	count := flag.String("count", "", "file that gets a line per health check")
	flag.Parse()
	counter := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		if info.FullMethod == "/grpc.health.v1.Health/Check" {
			if f, err := os.OpenFile(*count, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
				f.WriteString("ping\n")
				f.Close()
			}
		}
		return next(ctx, req)
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			MagicCookieKey:   "BESTSTARTS_WORKFORCE_PLUGIN",
			MagicCookieValue: "4f1c7a2e-best-starts-for-kids-workforce",
		},
		VersionedPlugins: map[int]plugin.PluginSet{plugins.ProtocolVersion: {"workforce": &envelope{}}},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return plugin.DefaultGRPCServer(append(opts, grpc.ChainUnaryInterceptor(counter)))
		},
	})
}

type envelope struct{ plugin.NetRPCUnsupportedPlugin }

type service interface{}

func (e *envelope) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	info := []byte(`{"name":"pingcount","version":"1.0.0","agency":"Test Agency","protocol":1,"rules":[{"name":"yes","kind":"eligibility","description":"finds every applicant eligible"}]}`)
	reply := func(out []byte) grpc.MethodHandler {
		return func(_ any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			if err := dec(new(wrapperspb.BytesValue)); err != nil {
				return nil, err
			}
			return wrapperspb.Bytes(out), nil
		}
	}
	s.RegisterService(&grpc.ServiceDesc{
		ServiceName: "beststarts.workforce.plugin.v1.Plugin",
		HandlerType: (*service)(nil),
		Methods: []grpc.MethodDesc{
			{MethodName: "Info", Handler: reply(info)},
			{MethodName: "Call", Handler: reply([]byte(`{"output":[]}`))},
		},
	}, e)
	return nil
}

func (e *envelope) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, nil
}
