package main

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// serveForeign serves the envelope written from scratch, as a plug-in in
// another language would: at the given protocol version, and answering
// every Call with the bytes reply (or an empty output when reply is "").
func serveForeign(version int, reply, name string) {
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			MagicCookieKey:   "BESTSTARTS_WORKFORCE_PLUGIN",
			MagicCookieValue: "4f1c7a2e-best-starts-for-kids-workforce",
		},
		VersionedPlugins: map[int]plugin.PluginSet{
			version: {"workforce": &foreign{reply: reply, name: name}},
		},
		GRPCServer: plugin.DefaultGRPCServer,
	})
}

type foreign struct {
	plugin.NetRPCUnsupportedPlugin
	reply, name string
}

type foreignServer interface{}

func (f *foreign) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	info := []byte(`{"name":"` + f.name + `","version":"9.9.9","agency":"Test Agency","protocol":1,"rules":[{"name":"babble","kind":"eligibility","description":"answers with garbage"}]}`)
	handler := func(out []byte) grpc.MethodHandler {
		return func(_ any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			in := new(wrapperspb.BytesValue)
			if err := dec(in); err != nil {
				return nil, err
			}
			return wrapperspb.Bytes(out), nil
		}
	}
	s.RegisterService(&grpc.ServiceDesc{
		ServiceName: "beststarts.workforce.plugin.v1.Plugin",
		HandlerType: (*foreignServer)(nil),
		Methods: []grpc.MethodDesc{
			{MethodName: "Info", Handler: handler(info)},
			{MethodName: "Call", Handler: handler([]byte(f.reply))},
		},
	}, f)
	return nil
}

func (f *foreign) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, nil
}
