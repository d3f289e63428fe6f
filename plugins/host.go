package plugins

import (
	"context"
	"errors"
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// Host runs the enabled plug-ins of a catalog. It is safe for concurrent
// use.
type Host struct {
	clients map[string]*Client
	names   []string
}

// NewHost registers and launches every enabled plug-in of c (see [Open]).
// A plug-in that fails does not stop the others: NewHost returns a Host
// with every enabled plug-in, and an error ([bsk.Errors], one [*Error]
// per plug-in that did not start, or the catalog's validation errors)
// when any failed. A plug-in that did not start (a missing binary, a
// checksum mismatch, a crash at start-up) stays in the Host, refused or
// restarting, and is launched again with backoff ([Options.MinBackoff],
// [Options.MaxBackoff]), its checksum checked each time, until it runs;
// [Client.Status] says how it is doing. The caller decides whether to
// carry on; either way it must Close the Host.
func NewHost(ctx context.Context, c Catalog, opts Options) (*Host, error) {
	h := &Host{clients: map[string]*Client{}}
	if err := c.Validate(); err != nil {
		return h, err
	}
	var errs bsk.Errors
	for _, e := range c.Plugins {
		if !e.Enabled {
			continue
		}
		cl, err := open(ctx, e, opts, true)
		if err != nil {
			errs = append(errs, &bsk.Error{Code: bsk.ErrorCode(err), Field: e.Name, Message: err.Error(), Err: err})
		}
		if cl == nil {
			continue
		}
		h.clients[e.Name] = cl
		h.names = append(h.names, e.Name)
	}
	slices.Sort(h.names)
	if len(errs) > 0 {
		return h, errs
	}
	return h, nil
}

// Plugin returns the plug-in named name, running or not (see
// [Client.Status]); a name that is not an enabled entry of the catalog is
// [bsk.CodeNotFound].
func (h *Host) Plugin(name string) (*Client, error) {
	c, ok := h.clients[name]
	if !ok {
		return nil, bsk.NotFoundf("plugin", "no enabled plugin named %q in the catalog", name)
	}
	return c, nil
}

// Plugins returns the enabled plug-ins, running or not, sorted by name.
func (h *Host) Plugins() []*Client {
	out := make([]*Client, len(h.names))
	for i, n := range h.names {
		out[i] = h.clients[n]
	}
	return out
}

// Close stops every plug-in and waits until their processes are gone.
func (h *Host) Close() error {
	var errs []error
	for _, c := range h.Plugins() {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
