package plugins

import "github.com/hashicorp/go-plugin"

// ProtocolVersion is the version of the wire protocol this package speaks.
// It changes only when the envelope or a payload changes incompatibly.
const ProtocolVersion = 1

// pluginSetName is the name under which the envelope is dispensed.
const pluginSetName = "workforce"

// handshake is fixed: a plug-in built for another host, or a program that is
// not a plug-in, is refused before any call.
var handshake = plugin.HandshakeConfig{
	MagicCookieKey:   "BESTSTARTS_WORKFORCE_PLUGIN",
	MagicCookieValue: "4f1c7a2e-best-starts-for-kids-workforce",
}

func pluginSets(srv envelope) map[int]plugin.PluginSet {
	return map[int]plugin.PluginSet{
		ProtocolVersion: {pluginSetName: &grpcPlugin{srv: srv}},
	}
}
