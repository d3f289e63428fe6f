package plugins

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/rs/zerolog"
)

// maxLogLine bounds one log message from a plug-in; the rest is cut so
// that a plug-in writing huge lines cannot flood the host's log.
const maxLogLine = 8 << 10

// zlog adapts a zerolog logger to the hclog.Logger go-plugin wants, so that
// a plug-in's log lines reach the host's log with the plug-in's name.
type zlog struct {
	z       zerolog.Logger
	name    string
	implied []any
	level   hclog.Level
}

var _ hclog.Logger = (*zlog)(nil)

func newZlog(z zerolog.Logger, name string) *zlog {
	return &zlog{z: z.With().Str("plugin", name).Logger(), name: name, level: hclog.Debug}
}

func (l *zlog) Log(level hclog.Level, msg string, args ...any) {
	if level < l.level || level == hclog.Off {
		return
	}
	var ev *zerolog.Event
	switch level {
	case hclog.Trace:
		ev = l.z.Trace()
	case hclog.Debug, hclog.NoLevel:
		ev = l.z.Debug()
	case hclog.Info:
		ev = l.z.Info()
	case hclog.Warn:
		ev = l.z.Warn()
	default:
		ev = l.z.Error()
	}
	if ev == nil { // level disabled in zerolog
		return
	}
	all := append(append([]any(nil), l.implied...), args...)
	for i := 0; i+1 < len(all); i += 2 {
		k := truncate(fmt.Sprint(all[i]))
		switch k {
		case "plugin", "level", "message", "time", "error":
			k = "plugin_" + k // keep the host's own fields unambiguous
		}
		switch v := all[i+1].(type) {
		case string:
			ev = ev.Str(k, truncate(v))
		case error:
			ev = ev.Str(k, truncate(v.Error()))
		case int, int64, float64, bool:
			ev = ev.Interface(k, v)
		default:
			ev = ev.Str(k, truncate(fmt.Sprint(v)))
		}
	}
	ev.Msg(truncate(msg))
}

func truncate(s string) string {
	if len(s) <= maxLogLine {
		return s
	}
	return s[:maxLogLine] + "…(cut)"
}

func (l *zlog) Trace(msg string, args ...any) { l.Log(hclog.Trace, msg, args...) }
func (l *zlog) Debug(msg string, args ...any) { l.Log(hclog.Debug, msg, args...) }
func (l *zlog) Info(msg string, args ...any)  { l.Log(hclog.Info, msg, args...) }
func (l *zlog) Warn(msg string, args ...any)  { l.Log(hclog.Warn, msg, args...) }
func (l *zlog) Error(msg string, args ...any) { l.Log(hclog.Error, msg, args...) }
func (l *zlog) IsTrace() bool                 { return l.level <= hclog.Trace }
func (l *zlog) IsDebug() bool                 { return l.level <= hclog.Debug }
func (l *zlog) IsInfo() bool                  { return l.level <= hclog.Info }
func (l *zlog) IsWarn() bool                  { return l.level <= hclog.Warn }
func (l *zlog) IsError() bool                 { return l.level <= hclog.Error }
func (l *zlog) ImpliedArgs() []any            { return l.implied }
func (l *zlog) Name() string                  { return l.name }
func (l *zlog) SetLevel(level hclog.Level)    { l.level = level }
func (l *zlog) GetLevel() hclog.Level         { return l.level }

func (l *zlog) With(args ...any) hclog.Logger {
	c := *l
	c.implied = append(append([]any(nil), l.implied...), args...)
	return &c
}

// Named keeps the plug-in's name: go-plugin names sub-loggers after the
// binary's path and internal parts ("stdio"), which say less than it.
func (l *zlog) Named(string) hclog.Logger      { c := *l; return &c }
func (l *zlog) ResetNamed(string) hclog.Logger { c := *l; return &c }

func (l *zlog) StandardLogger(opts *hclog.StandardLoggerOptions) *log.Logger {
	return log.New(l.StandardWriter(opts), "", 0)
}

func (l *zlog) StandardWriter(*hclog.StandardLoggerOptions) io.Writer {
	return &lineWriter{log: func(s string) { l.Info(s) }}
}

// lineWriter splits what is written to it into lines, each at most
// maxLogLine bytes, and logs each; a plug-in's standard output and error
// go through one, so garbage or a line without end cannot grow the host's
// memory or break its log.
type lineWriter struct {
	mu  sync.Mutex
	buf []byte
	log func(string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			room := maxLogLine - len(w.buf)
			if len(p) < room {
				w.buf = append(w.buf, p...)
				return n, nil
			}
			w.buf = append(w.buf, p[:room]...)
			p = p[room:]
			w.flush()
			continue
		}
		chunk := p[:i]
		p = p[i+1:]
		for len(w.buf)+len(chunk) > maxLogLine {
			room := maxLogLine - len(w.buf)
			w.buf = append(w.buf, chunk[:room]...)
			chunk = chunk[room:]
			w.flush()
		}
		w.buf = append(w.buf, chunk...)
		w.flush()
	}
	return n, nil
}

func (w *lineWriter) flush() {
	w.log(string(bytes.ToValidUTF8(w.buf, []byte("\uFFFD"))))
	w.buf = w.buf[:0]
}
