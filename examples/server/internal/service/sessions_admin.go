package service

import (
	"context"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// WebSession describes a signed-in web session to the administrator:
// whom it acts for and when it ends, never its secret or the hash stored
// for it. A session started with an API key has KeyID and that key's
// role; one started by single sign-on has the provider's Subject, the
// person's Name and the role, organization and provider its claims gave.
type WebSession struct {
	// ID names the session for ending it; it is derived one way from the
	// stored hash (see [store.SessionID]).
	ID             string    `json:"id"`
	KeyID          string    `json:"key_id,omitempty"`
	Subject        string    `json:"subject,omitempty"`
	Name           string    `json:"name,omitempty"`
	Role           Role      `json:"role"`
	OrganizationID string    `json:"organization_id,omitempty"`
	ProviderID     string    `json:"provider_id,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	ExpiresAt      time.Time `json:"expires_at"`
}

// WebSessionFilter names the person whose web sessions to list or end:
// an API key (KeyID) or a single sign-on subject (Subject), not both.
type WebSessionFilter struct {
	KeyID   string
	Subject string
}

func (f WebSessionFilter) check(required bool) error {
	switch {
	case f.KeyID != "" && f.Subject != "":
		return bsk.Invalidf("subject", "give key_id or subject, not both")
	case required && f.KeyID == "" && f.Subject == "":
		return bsk.Invalidf("key_id", "name whose sessions to end: key_id or subject")
	case len(f.KeyID) > 200 || len(f.Subject) > 500:
		return bsk.Invalidf("key_id", "is too long")
	}
	return nil
}

// webSession is the administrator's view of a stored session; a key's
// session takes the key's role, organization and provider.
func webSession(s store.ListedSession, k store.Key) WebSession {
	w := WebSession{ID: s.ID, KeyID: s.KeyID, Subject: s.Subject, Name: s.Name, Role: Role(s.Role),
		OrganizationID: s.OrganizationID, ProviderID: s.ProviderID, CreatedAt: s.CreatedAt, ExpiresAt: s.ExpiresAt}
	if s.KeyID != "" {
		w.Subject, w.Name = "", ""
		w.Role, w.OrganizationID, w.ProviderID = Role(k.Role), k.OrganizationID, k.ProviderID
	}
	return w
}

// WebSessions lists the web sessions that work now, of one API key or
// single sign-on subject, or of everyone when f is empty; oldest first. A
// session whose key no longer works is left out: it ends at its next
// request. Administrator only.
//
// Errors: invalid (both filters), unauthorized.
func (s *Keys) WebSessions(ctx context.Context, f WebSessionFilter) ([]WebSession, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, err
	}
	if err := f.check(false); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	out := []WebSession{}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		listed, err := tx.Sessions(ctx, store.SessionFilter{KeyID: f.KeyID, Subject: f.Subject}, now)
		if err != nil {
			return err
		}
		keys := map[string]store.Key{}
		for _, ls := range listed {
			var k store.Key
			if ls.KeyID != "" {
				var ok bool
				if k, ok = keys[ls.KeyID]; !ok {
					if k, err = tx.Key(ctx, ls.KeyID); bsk.ErrorCode(err) == bsk.CodeNotFound {
						continue
					} else if err != nil {
						return err
					}
					keys[ls.KeyID] = k
				}
				if k.Usable(now) != "" {
					continue
				}
			}
			out = append(out, webSession(ls, k))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EndWebSession ends one web session at once: the browser's next request
// finds no session and is sent to sign in again (a single sign-on session
// ends here, not at the provider). Audited. Administrator only.
//
// Errors: not_found (no such session, or it has expired), unauthorized.
func (s *Keys) EndWebSession(ctx context.Context, id string) (WebSession, error) {
	ended, err := s.endWebSessions(ctx, store.SessionFilter{ID: id})
	if err != nil {
		return WebSession{}, err
	}
	if len(ended) == 0 {
		return WebSession{}, bsk.NotFoundf("id", "no web session %q", id)
	}
	return ended[0], nil
}

// EndWebSessions ends every web session of one API key or single sign-on
// subject at once and returns those that had not expired (none is not an
// error). Each is audited. Administrator only.
//
// Errors: invalid (no filter, or both), unauthorized.
func (s *Keys) EndWebSessions(ctx context.Context, f WebSessionFilter) ([]WebSession, error) {
	if err := f.check(true); err != nil {
		return nil, err
	}
	return s.endWebSessions(ctx, store.SessionFilter{KeyID: f.KeyID, Subject: f.Subject})
}

func (s *Keys) endWebSessions(ctx context.Context, f store.SessionFilter) ([]WebSession, error) {
	by, err := require(ctx, RoleAdmin)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	out := []WebSession{}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		ended, err := tx.EndSessions(ctx, f, now)
		if err != nil {
			return err
		}
		for _, ls := range ended {
			var k store.Key
			if ls.KeyID != "" {
				if k, err = tx.Key(ctx, ls.KeyID); err != nil && bsk.ErrorCode(err) != bsk.CodeNotFound {
					return err
				}
			}
			if err := tx.Audit(ctx, by.KeyID, "end", "web_session", ls.ID); err != nil {
				return err
			}
			out = append(out, webSession(ls, k))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
