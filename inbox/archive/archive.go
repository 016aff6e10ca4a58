// Package archive writes the public record (allmänna handlingar) of the
// inbox: every conversation active in a period, with its messages, their
// edits, deletions and hides, notes, triage, staff actions and moderation,
// as JSON Lines and as one readable HTML page per conversation, with a
// manifest and SHA-256 checksums.
//
// An export is deterministic: the same data and period give the same
// bytes. It streams, a page of conversations at a time, so its memory does
// not grow with the period.
package archive

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"time"
	_ "time/tzdata" // the archive's time zone must not depend on the host

	"inkorg/inbox"
)

// Files of an export.
const (
	RecordsFile   = "conversations.jsonl"
	IndexFile     = "index.html"
	ManifestFile  = "manifest.json"
	ChecksumsFile = "SHA256SUMS"
	// Format names the layout, for readers of old archives.
	Format = "inkorg-archive/1"
	// Kinds of export: the public record of a period, or everything about
	// one person (registerutdrag).
	KindArchive       = "archive"
	KindSubjectAccess = "subject_access"
)

// TimeZone is the zone the HTML pages show times in and the zone of
// dates given on the command line. JSON times are UTC.
const TimeZone = "Europe/Stockholm"

// Location returns TimeZone.
func Location() *time.Location {
	loc, err := time.LoadLocation(TimeZone)
	if err != nil {
		panic(err) // embedded by time/tzdata
	}
	return loc
}

// pageSize is how many conversations are read at a time.
const pageSize = 100

// Exporter writes archive exports from a store.
type Exporter struct {
	Store inbox.RecordStore
}

// Manifest describes an export. It holds only inputs and results, never
// the time it was written, so an export of the same data is the same.
type Manifest struct {
	Format string `json:"format"`
	// Kind is KindArchive or KindSubjectAccess.
	Kind string `json:"kind"`
	// From and To are the period of an archive export.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// Contacts are the people a subject-access export is about.
	Contacts      []*inbox.Contact `json:"contacts,omitempty"`
	TimeZone      string           `json:"time_zone"`
	Conversations int              `json:"conversations"`
	Messages      int              `json:"messages"`
	// Files are the checksums of the top-level files; SHA256SUMS holds
	// every file's.
	Files []FileSum `json:"files"`
}

// FileSum is a file of the export and its SHA-256.
type FileSum struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// Result is what an export wrote.
type Result struct {
	Dir            string
	Manifest       Manifest
	ManifestSHA256 string
	ExportID       int64
}

// Export writes every conversation with a message in [from, to) to dir,
// which must not exist or be empty, and records the export in the store.
// An export that fails leaves nothing in dir.
func (x *Exporter) Export(ctx context.Context, from, to time.Time, dir string, scheduled bool) (*Result, error) {
	if !from.Before(to) {
		return nil, inbox.Errorf(inbox.EINVALID, "The period is empty: %s is not before %s.", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return writeOrDiscard(dir, func() (*Result, error) { return x.export(ctx, from, to, dir, scheduled) })
}

func (x *Exporter) export(ctx context.Context, from, to time.Time, dir string, scheduled bool) (*Result, error) {
	exp := &inbox.ArchiveExport{From: from.UTC(), To: to.UTC(), Location: dir, Scheduled: scheduled}
	if err := x.Store.CreateArchiveExport(ctx, exp); err != nil {
		return nil, err
	}
	w, err := newWriter(dir)
	if err != nil {
		return nil, err
	}
	defer w.close()
	m := Manifest{Format: Format, Kind: KindArchive, From: exp.From, To: exp.To, TimeZone: TimeZone}
	if err := w.index.begin(m); err != nil {
		return nil, err
	}
	for after := int64(0); ; {
		convs, err := x.Store.FindConversationsActive(ctx, from, to, after, pageSize)
		if err != nil {
			return nil, err
		}
		if len(convs) == 0 {
			break
		}
		recs := make([]*inbox.ConversationRecord, 0, len(convs))
		for _, c := range convs {
			after = c.ID
			rec, err := x.Store.FindConversationRecord(ctx, c.ID)
			if err != nil {
				return nil, err
			}
			if err := w.conversation(rec); err != nil {
				return nil, err
			}
			m.Conversations++
			m.Messages += len(rec.Messages)
			recs = append(recs, rec)
		}
		if err := x.Store.MarkArchived(ctx, exp.ID, recs); err != nil {
			return nil, err
		}
	}
	sum, err := w.finish(&m)
	if err != nil {
		return nil, err
	}
	if err := x.Store.CompleteArchiveExport(ctx, exp.ID, sum, m.Conversations); err != nil {
		return nil, err
	}
	return &Result{Dir: dir, Manifest: m, ManifestSHA256: sum, ExportID: exp.ID}, nil
}

// writeOrDiscard prepares dir for an export and runs write. When write
// fails it removes what the export put there, so half an export is never
// taken for an archive and the same command can be run again.
func writeOrDiscard(dir string, write func() (*Result, error)) (*Result, error) {
	created, err := emptyDir(dir)
	if err != nil {
		return nil, err
	}
	r, err := write()
	if err == nil {
		return r, nil
	}
	if rerr := discard(dir, created); rerr != nil {
		return nil, fmt.Errorf("%w (the unfinished export in %s could not be removed: %v)", err, dir, rerr)
	}
	return nil, err
}

// emptyDir creates dir, or checks that it is an empty directory, and
// reports whether it created it.
func emptyDir(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return false, inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot create %s.", dir)
		}
		return true, nil
	case err != nil:
		return false, inbox.WrapError(inbox.EINVALID, err, "Cannot read %s.", dir)
	case len(entries) > 0:
		return false, inbox.Errorf(inbox.ECONFLICT, "%s is not empty; an export goes into a new or empty directory.", dir)
	}
	return false, nil
}

// discard removes a failed export: dir itself when the export created
// it, else everything in it, which was empty before.
func discard(dir string, created bool) error {
	if created {
		return os.RemoveAll(dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		errs = append(errs, os.RemoveAll(filepath.Join(dir, e.Name())))
	}
	return errors.Join(errs...)
}

// hashedFile is a file being written whose SHA-256 and size are taken as
// it is written.
type hashedFile struct {
	path string
	f    *os.File
	buf  *bufio.Writer
	h    hash.Hash
	n    int64
}

func createHashed(dir, path string) (*hashedFile, error) {
	full := filepath.Join(dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o750); err != nil {
		return nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot create %s.", filepath.Dir(full))
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot create %s.", full)
	}
	return &hashedFile{path: path, f: f, buf: bufio.NewWriter(f), h: sha256.New()}, nil
}

func (hf *hashedFile) Write(p []byte) (int, error) {
	hf.h.Write(p)
	hf.n += int64(len(p))
	return hf.buf.Write(p)
}

// close flushes, syncs and closes the file and returns its checksum.
func (hf *hashedFile) close() (FileSum, error) {
	err := hf.buf.Flush()
	if err == nil {
		err = hf.f.Sync()
	}
	if cerr := hf.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return FileSum{}, inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot write %s.", hf.path)
	}
	return FileSum{Path: hf.path, SHA256: hex.EncodeToString(hf.h.Sum(nil)), Bytes: hf.n}, nil
}

// writer writes the files of one export.
type writer struct {
	dir     string
	records *hashedFile
	sums    *hashedFile
	index   *indexWriter
	loc     *time.Location
}

func newWriter(dir string) (*writer, error) {
	w := &writer{dir: dir, loc: Location()}
	var err error
	if w.records, err = createHashed(dir, RecordsFile); err != nil {
		return nil, err
	}
	if w.sums, err = createHashed(dir, ChecksumsFile); err != nil {
		return nil, err
	}
	f, err := createHashed(dir, IndexFile)
	if err != nil {
		return nil, err
	}
	w.index = &indexWriter{f: f, loc: w.loc}
	return w, nil
}

// conversation writes one record: its JSON line and its HTML page.
func (w *writer) conversation(rec *inbox.ConversationRecord) error {
	rec = withoutMeasures(rec)
	line, err := json.Marshal(rec)
	if err != nil {
		return inbox.WrapError(inbox.EINTERNAL, err, "Cannot encode conversation %d.", rec.Conversation.ID)
	}
	if _, err := w.records.Write(append(line, '\n')); err != nil {
		return inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot write %s.", RecordsFile)
	}
	page, err := createHashed(w.dir, PagePath(rec.Conversation.ID))
	if err != nil {
		return err
	}
	if err := renderConversation(page, rec, w.loc); err != nil {
		page.close()
		return err
	}
	sum, err := page.close()
	if err != nil {
		return err
	}
	if err := writeSum(w.sums, sum); err != nil {
		return err
	}
	return w.index.row(rec)
}

// withoutMeasures returns rec without the conversation's response-time
// clock, which is a measure of the work, not part of what happened: the
// store gives its state as of the moment it is read, and the metrics
// worker measures it again later, so with it the same data would give
// other bytes from one hour to the next.
func withoutMeasures(rec *inbox.ConversationRecord) *inbox.ConversationRecord {
	if rec.Conversation == nil || rec.Conversation.SLA == nil {
		return rec
	}
	c, r := *rec.Conversation, *rec
	c.SLA = nil
	r.Conversation = &c
	return &r
}

// finish closes the files, writes the manifest and returns its SHA-256.
func (w *writer) finish(m *Manifest) (string, error) {
	if err := w.index.end(m); err != nil {
		return "", err
	}
	for _, f := range []*hashedFile{w.index.f, w.records} {
		sum, err := f.close()
		if err != nil {
			return "", err
		}
		if err := writeSum(w.sums, sum); err != nil {
			return "", err
		}
		m.Files = append(m.Files, sum)
	}
	w.index.f, w.records = nil, nil
	sum, err := w.sums.close()
	w.sums = nil
	if err != nil {
		return "", err
	}
	m.Files = append(m.Files, sum)
	return writeManifest(w.dir, m)
}

// close closes whatever an export that failed left open.
func (w *writer) close() {
	for _, f := range []*hashedFile{w.records, w.sums} {
		if f != nil {
			f.f.Close()
		}
	}
	if w.index != nil && w.index.f != nil {
		w.index.f.f.Close()
	}
}

// writeSum writes one line in the format sha256sum -c reads.
func writeSum(w io.Writer, s FileSum) error {
	_, err := fmt.Fprintf(w, "%s  %s\n", s.SHA256, s.Path)
	return err
}

// writeManifest writes manifest.json and returns its SHA-256.
func writeManifest(dir string, m *Manifest) (string, error) {
	f, err := createHashed(dir, ManifestFile)
	if err != nil {
		return "", err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		f.close()
		return "", inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot write %s.", ManifestFile)
	}
	sum, err := f.close()
	return sum.SHA256, err
}

// PagePath is the path, in an export, of a conversation's HTML page.
func PagePath(id int64) string {
	return fmt.Sprintf("html/conversation-%010d.html", id)
}
