package plugins

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// Plugin is what a plug-in program serves: who it is and its rules.
type Plugin struct {
	// Name is the plug-in's name; the county's catalog lists it under the
	// same name.
	Name string
	// Version is the plug-in's semantic version, such as "1.0.0".
	Version string
	// Agency is the agency that owns the plug-in.
	Agency string
	// Handlers are the rules the plug-in provides. Build them with
	// [Eligibility], [Criterion] and [Grouping].
	Handlers []Handler
}

// Handler serves one rule. [Eligibility], [Criterion] and [Grouping] build
// one from the ordinary interface of the domain package; Func is the
// generic form, for tests and for kinds this package does not know.
type Handler struct {
	// Kind and Rule identify the rule.
	Kind Kind
	Rule string
	// Version is the rule's version; the plug-in's when empty.
	Version string
	// Description says in a sentence what the rule decides.
	Description string
	// Texts are the texts of the reason codes the rule gives (see
	// [RuleInfo.Texts]); set them with [Handler.WithTexts].
	Texts scholarship.Texts
	// Func answers one call: input is the request's JSON input, and the
	// returned value is marshaled as the response's output. An error with a
	// bsk code crosses the wire with the same code; any other error, and a
	// panic, arrives as [bsk.CodeInternal].
	Func func(ctx context.Context, input json.RawMessage) (any, error)
}

// Serve serves p to the host that started this program and returns only
// when the host ends the plug-in; call it from main:
//
//	func main() {
//		plugins.Serve(plugins.Plugin{
//			Name: "sixmonths", Version: "1.0.0", Agency: "Example Agency",
//			Handlers: []plugins.Handler{plugins.Eligibility("six-months", "...", rule)},
//		})
//	}
//
// A program started by hand, without the host's handshake, prints a short
// explanation and exits with status 1. The plug-in exits when its parent
// process goes away.
func Serve(p Plugin) {
	go watchParent(os.Getppid(), time.Second)
	plugin.Serve(serveConfig(newServer(p), nil))
}

func serveConfig(srv envelope, sets map[int]plugin.PluginSet) *plugin.ServeConfig {
	if sets == nil {
		sets = pluginSets(srv)
	}
	return &plugin.ServeConfig{
		HandshakeConfig:  handshake,
		VersionedPlugins: sets,
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			opts = append(opts, grpc.MaxRecvMsgSize(math.MaxInt32), grpc.MaxSendMsgSize(math.MaxInt32))
			return plugin.DefaultGRPCServer(opts)
		},
		Logger: nil, // go-plugin's own JSON logger on stderr, which the host parses
	}
}

// watchParent exits the plug-in when its parent dies: the host may have
// been killed without a chance to stop it (on Linux the host also asks the
// kernel for a signal on its death).
func watchParent(ppid int, every time.Duration) {
	for {
		time.Sleep(every)
		if os.Getppid() != ppid {
			os.Exit(2)
		}
	}
}

// Logger returns a logger for plug-in code. It writes JSON lines to
// standard error in the form the host reads, so that each record reaches the
// host's log with its level, message and attributes, tagged with the
// plug-in's name. Do not log to standard output.
func Logger() *slog.Logger { return logger() }

// logger writes to file descriptor 2 itself: go-plugin's Serve replaces
// os.Stderr with a pipe whose lines the host receives as plain text.
var logger = sync.OnceValue(func() *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.NewFile(2, "stderr"), &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) > 0 {
				return a
			}
			switch a.Key {
			case slog.TimeKey:
				a.Key = "@timestamp"
				a.Value = slog.StringValue(a.Value.Time().UTC().Format("2006-01-02T15:04:05.000000Z07:00"))
			case slog.LevelKey:
				a.Key = "@level"
				a.Value = slog.StringValue(hclogLevel(a.Value.Any().(slog.Level)))
			case slog.MessageKey:
				a.Key = "@message"
			}
			return a
		},
	}))
})

func hclogLevel(l slog.Level) string {
	switch {
	case l < slog.LevelDebug:
		return "trace"
	case l < slog.LevelInfo:
		return "debug"
	case l < slog.LevelWarn:
		return "info"
	case l < slog.LevelError:
		return "warn"
	default:
		return "error"
	}
}

// WithTexts returns h with the texts of the reason codes its rule gives:
// for each code, a template per language with the reason's {param}s.
// Every code needs an English text, or the host refuses the plug-in; a
// rule with texts must give only the codes they name.
//
//	plugins.Eligibility(info, rule).WithTexts(scholarship.Texts{
//		"agency_hours_short": {
//			scholarship.EnglishText: "You work {hours} hours a week; the agency requires {required}.",
//			scholarship.SpanishText: "Trabaja {hours} horas por semana; la agencia exige {required}.",
//		},
//	})
func (h Handler) WithTexts(t scholarship.Texts) Handler {
	h.Texts = t
	return h
}

func wireTexts(t scholarship.Texts) map[string]map[string]string {
	if len(t) == 0 {
		return nil
	}
	out := make(map[string]map[string]string, len(t))
	for code, byLang := range t {
		m := make(map[string]string, len(byLang))
		for l, s := range byLang {
			m[string(l)] = s
		}
		out[code] = m
	}
	return out
}

// server is the plug-in side of the envelope.
type server struct {
	infoJSON []byte
	handlers map[Kind]map[string]Handler
}

func newServer(p Plugin) *server {
	s := &server{handlers: map[Kind]map[string]Handler{}}
	in := Info{Name: p.Name, Version: p.Version, Agency: p.Agency, Protocol: ProtocolVersion, Rules: []RuleInfo{}}
	for _, h := range p.Handlers {
		if s.handlers[h.Kind] == nil {
			s.handlers[h.Kind] = map[string]Handler{}
		}
		s.handlers[h.Kind][h.Rule] = h
		v := h.Version
		if v == "" {
			v = p.Version
		}
		in.Rules = append(in.Rules, RuleInfo{Name: h.Rule, Kind: h.Kind, Version: v, Description: h.Description, Texts: wireTexts(h.Texts)})
	}
	s.infoJSON, _ = json.Marshal(in)
	return s
}

func (s *server) info(context.Context) ([]byte, error) { return s.infoJSON, nil }

func (s *server) call(ctx context.Context, b []byte) ([]byte, error) {
	var req Request
	if err := json.Unmarshal(b, &req); err != nil {
		return respond(nil, bsk.Errorf(bsk.CodeInvalid, "malformed request: %v", err))
	}
	h, ok := s.handlers[req.Kind][req.Rule]
	if !ok || h.Func == nil {
		return respond(nil, bsk.NotFoundf("rule", "no %s rule named %q", req.Kind, req.Rule))
	}
	out, err := safeCall(ctx, h.Func, req.Input)
	return respond(out, err)
}

// safeCall runs f, turning a panic into a [bsk.CodeInternal] error.
func safeCall[In, Out any](ctx context.Context, f func(context.Context, In) (Out, error), in In) (out Out, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &bsk.Error{Code: bsk.CodeInternal, Message: fmt.Sprintf("panic: %v", r)}
			Logger().Error("rule panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	return f(ctx, in)
}

func respond(out any, err error) ([]byte, error) {
	if err == nil {
		b, merr := json.Marshal(out)
		if merr == nil {
			return encodeOutput(b), nil
		}
		err = bsk.Errorf(bsk.CodeInternal, "marshal output: %v", merr)
	}
	return json.Marshal(Response{Error: wireError(err)})
}

// wireError flattens err for the wire, keeping the first bsk code in it.
func wireError(err error) *bsk.Error {
	var e *bsk.Error
	if !errors.As(err, &e) {
		return &bsk.Error{Code: bsk.CodeInternal, Message: err.Error()}
	}
	msg := e.Message
	if msg == "" {
		msg = string(e.Code)
	}
	// Keep the context that wrapping added in front of e.
	msg = strings.TrimSuffix(err.Error(), e.Error()) + msg
	return &bsk.Error{Code: e.Code, Field: e.Field, Message: msg}
}
