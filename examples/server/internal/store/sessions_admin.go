package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// SessionID is the public name of the session stored under hash: SHA-256
// of the hash under a label of its own, cut to 128 bits. It names a
// session to the administrator who ends it; neither the session's secret
// nor the stored hash can be had from it.
func SessionID(hash string) string {
	h := sha256.Sum256([]byte("workforce web session id\x00" + hash))
	return "ws_" + hex.EncodeToString(h[:16])
}

// SessionFilter selects stored web sessions: those of an API key, of a
// single sign-on subject, or the one with a [SessionID]. Empty fields
// select everything.
type SessionFilter struct {
	KeyID   string
	Subject string
	ID      string
}

func (f SessionFilter) match(id string, s Session) bool {
	return (f.KeyID == "" || s.KeyID == f.KeyID) && (f.Subject == "" || s.KeyID == "" && s.Subject == f.Subject) && (f.ID == "" || id == f.ID)
}

// ListedSession is a stored web session as the administrator sees it:
// its [SessionID] and fields, never its hash.
type ListedSession struct {
	ID string
	Session
}

// Sessions lists the web sessions f selects that have not expired at at,
// oldest first (ties by ID).
func (t *Tx) Sessions(ctx context.Context, f SessionFilter, at time.Time) ([]ListedSession, error) {
	all, err := t.sessions(ctx, f)
	var out []ListedSession
	for _, s := range all {
		if s.ExpiresAt.After(at) {
			out = append(out, s.ListedSession)
		}
	}
	return out, err
}

// hashedSession is a session with the hash it is stored under.
type hashedSession struct {
	hash string
	ListedSession
}

// sessions reads the sessions f selects, expired or not, oldest first.
func (t *Tx) sessions(ctx context.Context, f SessionFilter) ([]hashedSession, error) {
	q := "SELECT hash, key_id, subject, name, role, organization_id, provider_id, created_at, expires_at FROM web_sessions"
	var args []any
	switch {
	case f.KeyID != "":
		q, args = q+" WHERE key_id = ?", []any{f.KeyID}
	case f.Subject != "":
		q, args = q+" WHERE key_id = '' AND subject = ?", []any{f.Subject}
	}
	rows, err := t.tx.QueryContext(ctx, t.db.bind(q), args...)
	if err != nil {
		return nil, storeErr("web sessions", err)
	}
	defer rows.Close()
	var out []hashedSession
	for rows.Next() {
		var h hashedSession
		var created, expires string
		s := &h.Session
		if err := rows.Scan(&h.hash, &s.KeyID, &s.Subject, &s.Name, &s.Role, &s.OrganizationID, &s.ProviderID, &created, &expires); err != nil {
			return nil, storeErr("web sessions", err)
		}
		s.CreatedAt, s.ExpiresAt = parseTime(created), parseTime(expires)
		if h.ID = SessionID(h.hash); f.match(h.ID, h.Session) {
			out = append(out, h)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr("web sessions", err)
	}
	slices.SortFunc(out, func(a, b hashedSession) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// EndSessions deletes the web sessions f selects, expired or not, and
// returns those that had not expired at t: the next request with one of
// them finds no session and is sent to sign in.
func (t *Tx) EndSessions(ctx context.Context, f SessionFilter, at time.Time) ([]ListedSession, error) {
	all, err := t.sessions(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []ListedSession
	for _, s := range all {
		if _, err := t.tx.ExecContext(ctx, t.db.bind("DELETE FROM web_sessions WHERE hash = ?"), s.hash); err != nil {
			return nil, storeErr("end web session", err)
		}
		if s.ExpiresAt.After(at) {
			out = append(out, s.ListedSession)
		}
	}
	return out, nil
}
