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
// with every plug-in that started, and an error ([bsk.Errors], one
// [*Error] per failed plug-in, or the catalog's validation errors) when
// any failed. The caller decides whether to carry on; either way it must
// Close the Host.
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
		cl, err := Open(ctx, e, opts)
		if err != nil {
			errs = append(errs, &bsk.Error{Code: bsk.ErrorCode(err), Field: e.Name, Message: err.Error(), Err: err})
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

// Plugin returns the running plug-in named name; an unknown or failed
// name is [bsk.CodeNotFound].
func (h *Host) Plugin(name string) (*Client, error) {
	c, ok := h.clients[name]
	if !ok {
		return nil, bsk.NotFoundf("plugin", "no running plugin named %q", name)
	}
	return c, nil
}

// Plugins returns the running plug-ins, sorted by name.
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
