package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// Session is a web session's stored form: the hash of its secret, whom it
// acts for, and when it ends. The secret itself is never stored. A session
// acts either for an API key (KeyID) or, started by single sign-on, for the
// person the provider vouched for (Subject, with the role, organization and
// provider the claim mapping gave at sign-in; KeyID is "").
type Session struct {
	// KeyID is the API key the session acts for; "" for single sign-on.
	KeyID string
	// Subject is the provider's subject of a single sign-on session.
	Subject string
	// Name is the signed-in person's name, as the provider gave it.
	Name string
	// Role, OrganizationID and ProviderID are a single sign-on session's
	// principal.
	Role           string
	OrganizationID string
	ProviderID     string
	CreatedAt      time.Time
	ExpiresAt      time.Time
}

// CreateSession stores a session under the hash of its secret.
func (db *DB) CreateSession(ctx context.Context, hash string, s Session) error {
	return db.Write(ctx, func(t *Tx) error {
		_, err := t.tx.ExecContext(ctx, t.db.bind("INSERT INTO web_sessions (hash, key_id, subject, name, role, organization_id, provider_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
			hash, s.KeyID, s.Subject, s.Name, s.Role, s.OrganizationID, s.ProviderID, timeText(s.CreatedAt), timeText(s.ExpiresAt))
		return storeErr("create session", err)
	})
}

// SessionByHash returns the session with this hash and the key it acts
// for (see [Key.Usable]); none is a [bsk.CodeUnauthorized] error. A single
// sign-on session (KeyID "") comes with a zero Key. An expired session is
// returned as stored: the caller compares ExpiresAt.
func (db *DB) SessionByHash(ctx context.Context, hash string) (Session, Key, error) {
	var s Session
	var created, expires string
	err := db.read.QueryRowContext(ctx, db.bind("SELECT key_id, subject, name, role, organization_id, provider_id, created_at, expires_at FROM web_sessions WHERE hash = ?"), hash).
		Scan(&s.KeyID, &s.Subject, &s.Name, &s.Role, &s.OrganizationID, &s.ProviderID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, Key{}, bsk.Errorf(bsk.CodeUnauthorized, "no such session")
	}
	if err != nil {
		return Session{}, Key{}, storeErr("session", err)
	}
	s.CreatedAt, s.ExpiresAt = parseTime(created), parseTime(expires)
	if s.KeyID == "" {
		return s, Key{}, nil
	}
	k, _, err := scanKey(db.read.QueryRowContext(ctx, db.bind(keyColumns+" WHERE k.id = ?"), s.KeyID))
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, Key{}, bsk.Errorf(bsk.CodeUnauthorized, "the session's key %q no longer exists", s.KeyID)
	}
	if err != nil {
		return Session{}, Key{}, storeErr("session key", err)
	}
	return s, k, nil
}

// DeleteSession deletes the session with this hash; deleting one that is
// not there changes nothing.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.Write(ctx, func(t *Tx) error {
		_, err := t.tx.ExecContext(ctx, t.db.bind("DELETE FROM web_sessions WHERE hash = ?"), hash)
		return storeErr("delete session", err)
	})
}

// DeleteExpiredSessions deletes the sessions and sign-in links that ended
// before t, and returns how many rows went.
func (db *DB) DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error) {
	n := 0
	err := db.Write(ctx, func(tx *Tx) error {
		for _, table := range []string{"web_sessions", "web_signin_links"} {
			rows, err := tx.tx.QueryContext(ctx, "SELECT hash, expires_at FROM "+table)
			if err != nil {
				return storeErr("expired sessions", err)
			}
			var gone []string
			for rows.Next() {
				var h, exp string
				if err := rows.Scan(&h, &exp); err != nil {
					rows.Close()
					return storeErr("expired sessions", err)
				}
				if !parseTime(exp).After(t) {
					gone = append(gone, h)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return storeErr("expired sessions", err)
			}
			for _, h := range gone {
				if _, err := tx.tx.ExecContext(ctx, tx.db.bind("DELETE FROM "+table+" WHERE hash = ?"), h); err != nil {
					return storeErr("expired sessions", err)
				}
			}
			n += len(gone)
		}
		return nil
	})
	return n, err
}

// CreateSignInLink stores a one-time sign-in link for the key keyID under
// the hash of its secret, usable until expires.
func (db *DB) CreateSignInLink(ctx context.Context, hash, keyID string, expires time.Time) error {
	return db.Write(ctx, func(t *Tx) error {
		_, err := t.tx.ExecContext(ctx, t.db.bind("INSERT INTO web_signin_links (hash, key_id, created_at, expires_at) VALUES (?, ?, ?, ?)"),
			hash, keyID, now(), timeText(expires))
		return storeErr("create sign-in link", err)
	})
}

// UseSignInLink marks the link with this hash used at t and returns its
// key's ID. A link that does not exist, was used before or expired is a
// [bsk.CodeUnauthorized] error saying which; of two uses racing, one wins.
func (db *DB) UseSignInLink(ctx context.Context, hash string, t time.Time) (string, error) {
	var keyID string
	err := db.Write(ctx, func(tx *Tx) error {
		var expires, used string
		err := tx.tx.QueryRowContext(ctx, tx.db.bind("SELECT key_id, expires_at, used_at FROM web_signin_links WHERE hash = ?"), hash).Scan(&keyID, &expires, &used)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return bsk.Errorf(bsk.CodeUnauthorized, "unknown sign-in link")
		case err != nil:
			return err
		case used != "":
			return bsk.Errorf(bsk.CodeUnauthorized, "sign-in link already used")
		case !parseTime(expires).After(t):
			return bsk.Errorf(bsk.CodeUnauthorized, "sign-in link expired")
		}
		res, err := tx.tx.ExecContext(ctx, tx.db.bind("UPDATE web_signin_links SET used_at = ? WHERE hash = ? AND used_at = ''"), timeText(t), hash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return bsk.Errorf(bsk.CodeUnauthorized, "sign-in link already used")
		}
		return nil
	})
	return keyID, err
}
