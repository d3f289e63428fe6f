package service

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// Audit is the audit log: what was created, changed, deleted and read, and
// every failed sign-in, in a hash chain (see the store's AuditEntry). Reads
// of personal or protected data are recorded before the data leave the
// server (see [Audit.StartReads]); entries from concurrent requests are
// appended together, one transaction per batch.
type Audit struct {
	db *store.DB
	ap *appender
}

func newAudit(db *store.DB, log zerolog.Logger, m *Metrics) *Audit {
	return &Audit{db: db, ap: newAppender(db, log, m)}
}

// close appends what is queued and stops the appender.
func (s *Audit) close() { s.ap.close() }

// AuditPage is one page of the audit log.
type AuditPage struct {
	// Items are the entries, newest first unless the query asked for
	// oldest first.
	Items []store.AuditEntry `json:"items"`
	// NextCursor continues the listing; "" on the last page.
	NextCursor string `json:"next_cursor"`
}

// AuditQuery pages through the log.
type AuditQuery struct {
	// Cursor is the previous page's NextCursor; "" starts at the newest
	// entry (or the oldest with OldestFirst).
	Cursor string
	// OldestFirst lists in chain order instead of newest first.
	OldestFirst bool
	// Limit is the page size.
	Limit int
}

// Log lists the audit log, newest first by default, each entry with its
// key's name and role. Administrator only.
//
// Errors: unauthorized.
func (s *Audit) Log(ctx context.Context, q AuditQuery) (AuditPage, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return AuditPage{}, err
	}
	entries, err := s.db.AuditLog(ctx, store.AuditQuery{After: q.Cursor, Desc: !q.OldestFirst, Limit: q.Limit})
	if err != nil {
		return AuditPage{}, err
	}
	page := AuditPage{Items: entries}
	if page.Items == nil {
		page.Items = []store.AuditEntry{}
	}
	if len(entries) == q.Limit && q.Limit > 0 {
		page.NextCursor = strconv.FormatInt(entries[len(entries)-1].Seq, 10)
	}
	return page, nil
}

// Head is the chain's newest entry, to be kept outside the database.
// Administrator only.
func (s *Audit) Head(ctx context.Context) (store.AuditHead, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return store.AuditHead{}, err
	}
	return s.db.AuditHead(ctx)
}

// Reads records that the caller read personal or protected data
// (demographics, survey reports, decisions, rosters, dialogue runs): one
// entry per record, naming what was read, never its contents. It returns
// once the entries are committed; a read whose entries cannot be written
// must fail, so nothing protected leaves the server unrecorded.
func (s *Audit) Reads(ctx context.Context, entity string, ids ...string) error {
	wait, err := s.StartReads(ctx, entity, ids...)
	if err != nil {
		return err
	}
	return wait()
}

// StartReads queues the entries of reads and returns a function that waits
// for their commit, so that the commit can overlap the read itself.
func (s *Audit) StartReads(ctx context.Context, entity string, ids ...string) (wait func() error, err error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	entries := make([]store.AuditEntry, len(ids))
	for i, id := range ids {
		entries[i] = store.AuditEntry{KeyID: p.KeyID, Action: "read", Entity: entity, EntityID: id}
	}
	w, err := s.ap.enqueue(ctx, entries...)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "recording the read: %w", err)
	}
	return func() error {
		if err := w(ctx); err != nil {
			return bsk.Errorf(bsk.CodeInternal, "recording the read: %w", err)
		}
		return nil
	}, nil
}

// SignInFailed records a failed sign-in from client; keyID names the key
// when one was recognised (revoked or expired), and why never includes the
// credential presented.
func (s *Audit) SignInFailed(ctx context.Context, keyID, client, why string) error {
	return s.ap.append(ctx, store.AuditEntry{
		KeyID: "anonymous", Action: "auth_failed", Entity: "api_key", EntityID: keyID, Client: client, Detail: why})
}

// KeyUsed notes a key's use; it is written with the next batch, at most
// once a minute per key.
func (s *Audit) KeyUsed(id string, at time.Time) { s.ap.keyUsed(id, at) }

// Group commit bounds.
const (
	// appendQueue is how many waiting requests the appender holds before
	// callers block.
	appendQueue = 4096
	// appendBatch is the most entries one transaction appends.
	appendBatch = 512
	// appendEvery is the least time between the starts of two appends
	// while the queue holds less than a full batch: entries that arrive
	// meanwhile join the next batch. Without it a busy server commits a
	// transaction for every one or two reads, and the commits' CPU and
	// WAL traffic (with its checkpoints) cost more than the short wait.
	appendEvery = time.Millisecond
	// headLogEvery is how often the chain's head is logged, so that the
	// logs, kept apart from the database, anchor it.
	headLogEvery = time.Hour
)

// errAppenderClosed is returned for entries offered after Close.
var errAppenderClosed = errors.New("the audit appender is closed")

// appender appends audit entries in batches: callers queue their entries
// and wait; one goroutine takes everything queued (up to appendBatch
// entries), appends it in one transaction with the keys' pending last-use
// times, and tells every caller of the batch the result. While a batch
// commits the next one gathers, so the batch grows with the load. Close
// appends what is queued before it returns.
type appender struct {
	db      *store.DB
	log     zerolog.Logger
	metrics *Metrics

	queue chan appendReq
	quit  chan struct{}
	done  chan struct{}

	// closing is held for reading while a caller queues and for writing
	// while Close closes the queue.
	closing sync.RWMutex
	closed  bool

	mu      sync.Mutex
	used    map[string]time.Time // key ID -> last use not yet written
	written map[string]time.Time // key ID -> last use written or pending
	wake    chan struct{}
}

type appendReq struct {
	entries []store.AuditEntry
	done    chan error
}

func newAppender(db *store.DB, log zerolog.Logger, m *Metrics) *appender {
	ap := &appender{db: db, log: log, metrics: m, queue: make(chan appendReq, appendQueue), quit: make(chan struct{}), done: make(chan struct{}),
		used: map[string]time.Time{}, written: map[string]time.Time{}, wake: make(chan struct{}, 1)}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PrepareAudit(ctx); err != nil {
		log.Warn().Err(err).Msg("audit statements not prepared: appends parse them each time")
	}
	go ap.run()
	return ap
}

// append queues entries and waits until they are committed, the append
// fails, or ctx ends (the entries may then still be committed).
func (ap *appender) append(ctx context.Context, entries ...store.AuditEntry) error {
	wait, err := ap.enqueue(ctx, entries...)
	if err != nil {
		return err
	}
	return wait(ctx)
}

// enqueue queues entries and returns a function that waits until they are
// committed, the append fails, or its ctx ends.
func (ap *appender) enqueue(ctx context.Context, entries ...store.AuditEntry) (func(context.Context) error, error) {
	if len(entries) == 0 {
		return func(context.Context) error { return nil }, nil
	}
	done := donePool.Get().(chan error)
	req := appendReq{entries: entries, done: done}
	ap.closing.RLock()
	if ap.closed {
		ap.closing.RUnlock()
		return nil, errAppenderClosed
	}
	// Sending under the read lock keeps Close from closing the queue under
	// us; a full queue blocks senders, which is the back-pressure we want.
	select {
	case ap.queue <- req:
	case <-ctx.Done():
		ap.closing.RUnlock()
		return nil, ctx.Err()
	}
	ap.closing.RUnlock()
	return func(ctx context.Context) error {
		select {
		case err := <-done:
			donePool.Put(done)
			return err
		case <-ctx.Done():
			return ctx.Err() // done is left to the appender's send
		}
	}, nil
}

// donePool recycles the channels that tell callers their batch's result.
var donePool = sync.Pool{New: func() any { return make(chan error, 1) }}

// keyUsed notes a key's use; it is written with the next batch, at most
// once a minute per key.
func (ap *appender) keyUsed(id string, at time.Time) {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	if last, ok := ap.written[id]; ok && at.Sub(last) < time.Minute {
		return
	}
	ap.written[id] = at
	ap.used[id] = at
	select {
	case ap.wake <- struct{}{}:
	default:
	}
}

func (ap *appender) run() {
	defer close(ap.done)
	tick := time.NewTicker(headLogEvery)
	defer tick.Stop()
	var last time.Time
	for {
		if wait := appendEvery - time.Since(last); wait > 0 && len(ap.queue) < appendBatch {
			time.Sleep(wait)
		}
		var batch []appendReq
		select {
		case req, ok := <-ap.queue:
			if !ok {
				ap.logHead("audit chain head at shutdown")
				return
			}
			last = time.Now()
			batch = ap.gather(req)
		case <-ap.wake:
		case <-tick.C:
			ap.logHead("audit chain head")
			continue
		}
		ap.flush(batch)
	}
}

// gather takes what is queued behind req, up to appendBatch entries.
func (ap *appender) gather(req appendReq) []appendReq {
	batch := []appendReq{req}
	n := len(req.entries)
	for n < appendBatch {
		select {
		case r, ok := <-ap.queue:
			if !ok {
				return batch
			}
			batch = append(batch, r)
			n += len(r.entries)
		default:
			return batch
		}
	}
	return batch
}

// flush appends a batch with the pending key uses in one transaction.
func (ap *appender) flush(batch []appendReq) {
	ap.mu.Lock()
	// The pending uses are taken whole, or not at all: the map handed to
	// the transaction is never the one keyUsed goes on writing.
	var used map[string]time.Time
	if len(ap.used) > 0 {
		used, ap.used = ap.used, map[string]time.Time{}
	}
	ap.mu.Unlock()
	var entries []store.AuditEntry
	for _, r := range batch {
		entries = append(entries, r.entries...)
	}
	if len(entries) == 0 && len(used) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err := ap.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.AppendAudit(ctx, entries...); err != nil {
			return err
		}
		return tx.TouchKeys(ctx, used)
	})
	cancel()
	if err != nil {
		ap.log.Error().Err(err).Int("entries", len(entries)).Msg("audit append failed")
	} else {
		ap.metrics.auditAppended(len(entries))
	}
	for _, r := range batch {
		r.done <- err
	}
}

func (ap *appender) logHead(msg string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if h, err := ap.db.AuditHead(ctx); err == nil {
		ap.log.Info().Int64("seq", h.Seq).Str("hash", h.Hash).Msg(msg)
	}
}

// close appends everything queued and the pending key uses, then stops.
func (ap *appender) close() {
	ap.closing.Lock()
	if ap.closed {
		ap.closing.Unlock()
		<-ap.done
		return
	}
	ap.closed = true
	close(ap.queue)
	ap.closing.Unlock()
	<-ap.done
	ap.flush(nil)
}
