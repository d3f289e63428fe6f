package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/training"
)

// InvoiceRequest asks for the consultants' invoice of one month.
type InvoiceRequest struct {
	// Month is the month billed, "2026-03".
	Month string `json:"month"`
	// Rates price consultants' hours, in cents an hour.
	Rates training.Rates `json:"rates"`
	// TimeZone places sessions in their month (an IANA name); empty means
	// America/Los_Angeles.
	TimeZone string `json:"time_zone,omitempty"`
}

// InvoiceStatus is where an invoice stands.
type InvoiceStatus string

// InvoicePending is an invoice waiting for the coordinator's approval.
const InvoicePending InvoiceStatus = "pending_approval"

// Invoice is one month's consultants' invoice: a line per consultant, for
// the sessions of their groups that met.
type Invoice struct {
	// ID names the invoice: "inv-<month>-" and a random suffix.
	ID string `json:"id"`
	// Month is the month billed.
	Month string `json:"month"`
	// Status is where it stands.
	Status InvoiceStatus `json:"status"`
	// Lines are its lines, by consultant.
	Lines []training.InvoiceLine `json:"lines"`
	// TotalCents sums the lines.
	TotalCents int64 `json:"total_cents"`
	// CreatedBy is the key that made it.
	CreatedBy string `json:"created_by"`
	// CreatedAt is when.
	CreatedAt time.Time `json:"created_at"`
}

// CreateInvoice bills a month's reflective consultation sessions that met
// (see [training.Invoice]) and records every session billed, so that no
// session is on two invoices.
//
// Errors: invalid (/month, /rates/..., /time_zone; a month in which no
// group met), conflict (a session of the month is already invoiced),
// unauthorized.
func (pr *Program) CreateInvoice(ctx context.Context, req InvoiceRequest) (Invoice, error) {
	p, err := require(ctx, ProgramRoles...)
	if err != nil {
		return Invoice{}, err
	}
	loc, err := location(req.TimeZone, "/time_zone")
	if err != nil {
		return Invoice{}, err
	}
	if _, err := time.Parse("2006-01", req.Month); err != nil {
		return Invoice{}, bsk.Errors{bsk.Invalidf("/month", "%q is not a month such as 2026-03", req.Month)}
	}
	if err := req.Rates.Validate(); err != nil {
		// As JSON pointers: /rates/hourly_cents, /rates/consultants/<id>.
		var list bsk.Errors
		errors.As(err, &list)
		out := make(bsk.Errors, len(list))
		for i, e := range list {
			c := *e
			c.Field = "/rates/" + e.Field
			if id, ok := strings.CutPrefix(e.Field, "consultants."); ok {
				c.Field = "/rates/consultants/" + id
			}
			out[i] = &c
		}
		return Invoice{}, out
	}
	inv := Invoice{ID: "inv-" + req.Month + "-" + store.NewID(), Month: req.Month, Status: InvoicePending, CreatedBy: p.KeyID, CreatedAt: time.Now().UTC()}
	err = pr.db.Write(ctx, func(tx *store.Tx) error {
		in := training.InvoiceInput{Rates: req.Rates, Month: req.Month, Location: loc, Invoiced: map[bsk.SessionID]string{}}
		err := scanAll(ctx, tx, store.Offerings, store.Filter{}, func(rec store.Record) error {
			o, err := decode[bsk.Offering]("offering", rec)
			if err == nil && o.Kind == bsk.OfferingReflectiveConsultation {
				in.Offerings = append(in.Offerings, o)
			}
			return err
		})
		if err != nil {
			return err
		}
		for _, o := range in.Offerings {
			err := scanAll(ctx, tx, store.Sessions, store.Filter{Parent: string(o.ID)}, func(rec store.Record) error {
				s, err := decode[bsk.Session]("session", rec)
				if err != nil || (s.Starts.In(loc).Format("2006-01") != req.Month) {
					return err
				}
				in.Sessions = append(in.Sessions, s)
				return nil
			})
			if err != nil {
				return err
			}
		}
		for _, s := range in.Sessions {
			recs, err := tx.List(ctx, store.Attendance, store.Filter{Parent: string(s.ID), Limit: 1})
			if err != nil {
				return err
			}
			if len(recs) > 0 {
				in.Attendance = append(in.Attendance, bsk.Attendance{SessionID: s.ID})
			}
			if rec, err := tx.Get(ctx, store.InvoicedSessions, string(s.ID)); err == nil {
				in.Invoiced[s.ID] = rec.Parent
			} else if bsk.ErrorCode(err) != bsk.CodeNotFound {
				return err
			}
		}
		if err := ledAtTheTime(ctx, tx, &in); err != nil {
			return err
		}
		lines, err := training.Invoice(in)
		if err != nil {
			return err
		}
		if len(lines) == 0 {
			return bsk.Errors{bsk.Invalidf("/month", "no reflective consultation group recorded attendance in %s: nothing to invoice", req.Month)}
		}
		inv.Lines = lines
		billed := map[bsk.SessionID]bool{}
		for _, l := range lines {
			inv.TotalCents += l.AmountCents
			for _, s := range l.Sessions {
				if billed[s] {
					continue // a co-led session is one row
				}
				billed[s] = true
				doc, err := encode("invoiced session", map[string]string{"session_id": string(s), "invoice_id": inv.ID})
				if err != nil {
					return err
				}
				err = tx.Insert(ctx, store.InvoicedSessions, store.Record{ID: string(s), Parent: inv.ID, Doc: doc})
				if bsk.ErrorCode(err) == bsk.CodeConflict {
					return bsk.Errorf(bsk.CodeConflict, "session %q is already invoiced: hours are never invoiced twice", s)
				}
				if err != nil {
					return err
				}
			}
		}
		doc, err := encode("invoice", inv)
		if err != nil {
			return err
		}
		if err := tx.Insert(ctx, store.Invoices, store.Record{ID: inv.ID, Doc: doc}); err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "create", "invoice", inv.ID)
	})
	if err != nil {
		return Invoice{}, err
	}
	return inv, nil
}

// GetInvoice returns an invoice.
//
// Errors: not_found, unauthorized.
func (pr *Program) GetInvoice(ctx context.Context, id string) (Invoice, error) {
	if _, err := require(ctx, ProgramRoles...); err != nil {
		return Invoice{}, err
	}
	rec, err := pr.db.Get(ctx, store.Invoices, id)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return Invoice{}, bsk.NotFoundf("id", "no invoice %q", id)
	}
	if err != nil {
		return Invoice{}, err
	}
	return decode[Invoice]("invoice", rec)
}

// leadership is who led a group's sessions from a time on, as a
// publication set it.
type leadership struct {
	from    time.Time
	leaders []bsk.ProviderID
}

// ledAtTheTime bills each session to the consultants who led its group
// when it met, not to the group's leaders now: a re-grouping that hands a
// group to another consultant takes effect at its Effective time, and the
// sessions before it stay the first consultant's. The publications record
// each group's leaders from when they took over; a session after the
// last change goes to the offering's leaders on file (which include a
// consultant set by hand since). Sessions of an earlier leadership are
// billed through a copy of the offering with those leaders.
func ledAtTheTime(ctx context.Context, tx *store.Tx, in *training.InvoiceInput) error {
	history := map[bsk.OfferingID][]leadership{}
	err := scanAll(ctx, tx, store.Publications, store.Filter{}, func(rec store.Record) error {
		pub, err := decode[Publication]("publication", rec)
		if err != nil {
			return err
		}
		for gi, id := range pub.Offerings {
			if id == "" || gi >= len(pub.Leaders) {
				continue // a publication from before leaders were recorded
			}
			history[id] = append(history[id], leadership{from: pub.Effective, leaders: pub.Leaders[gi]})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, h := range history {
		slices.SortStableFunc(h, func(a, b leadership) int { return a.from.Compare(b.from) })
	}
	byID := map[bsk.OfferingID]bsk.Offering{}
	for _, o := range in.Offerings {
		byID[o.ID] = o
	}
	copies := map[bsk.OfferingID]bool{}
	for i, s := range in.Sessions {
		h := history[s.OfferingID]
		if len(h) < 2 {
			continue
		}
		k := -1
		for j, l := range h {
			if !s.Starts.Before(l.from) {
				k = j
			}
		}
		if k < 0 || k == len(h)-1 {
			continue // the leaders on file lead it
		}
		id := bsk.OfferingID(fmt.Sprintf("%s#%d", s.OfferingID, k))
		if !copies[id] {
			o := byID[s.OfferingID]
			o.ID, o.Leaders = id, h[k].leaders
			in.Offerings = append(in.Offerings, o)
			copies[id] = true
		}
		in.Sessions[i].OfferingID = id
	}
	return nil
}
