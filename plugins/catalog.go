package plugins

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/beststarts/workforce/bsk"
)

// Catalog lists the plug-ins the county runs. It is a file the county's
// administrator controls, in JSON:
//
//	{"plugins": [
//	  {"agency": "Example Agency", "name": "sixmonths",
//	   "path": "bin/sixmonths", "sha256": "9f86d08...",
//	   "args": ["-months", "6"], "enabled": true}
//	]}
type Catalog struct {
	Plugins []Entry `json:"plugins"`
}

// Entry is one plug-in in a [Catalog].
type Entry struct {
	// Agency is the agency that owns the plug-in.
	Agency string `json:"agency"`
	// Name is the plug-in's name, unique in the catalog; the plug-in must
	// report the same name in its Info.
	Name string `json:"name"`
	// Path is the plug-in's executable. A relative path read by
	// [ReadCatalog] is relative to the catalog file's directory.
	Path string `json:"path"`
	// SHA256 is the lowercase hex SHA-256 checksum of the executable. It is
	// checked when the plug-in is registered and before every launch.
	SHA256 string `json:"sha256"`
	// Args are the command-line arguments the plug-in is started with.
	Args []string `json:"args,omitempty"`
	// Enabled must be true for the host to start the plug-in.
	Enabled bool `json:"enabled"`
}

var (
	nameRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,62}$`)
	sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Validate reports every problem in the entry as [bsk.CodeInvalid] errors.
func (e Entry) Validate() error {
	var p bsk.Problems
	if e.Agency == "" {
		p.Add("agency", "is required")
	}
	if !nameRE.MatchString(e.Name) {
		p.Add("name", "must be 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit; got %q", e.Name)
	}
	if e.Path == "" {
		p.Add("path", "is required")
	}
	if !sha256RE.MatchString(e.SHA256) {
		p.Add("sha256", "must be 64 lowercase hex digits")
	}
	return p.Err()
}

// Validate reports every problem in the catalog, with field paths such as
// "plugins[2].sha256", as [bsk.CodeInvalid] errors; a name used twice is a
// [bsk.CodeConflict].
func (c Catalog) Validate() error {
	var p bsk.Problems
	seen := map[string]int{}
	for i, e := range c.Plugins {
		field := bsk.Index("plugins", i)
		p.Merge(field, e.Validate())
		if j, ok := seen[e.Name]; ok && e.Name != "" {
			p.AddCode(bsk.CodeConflict, field+".name", "%q is also the name of plugins[%d]", e.Name, j)
		}
		seen[e.Name] = i
	}
	return p.Err()
}

// ParseCatalog decodes and validates a catalog. Unknown fields are refused,
// so that a misspelt "enabled" cannot silently disable a plug-in. Errors are
// [bsk.CodeInvalid] (or [bsk.CodeConflict] for a duplicate name).
func ParseCatalog(b []byte) (Catalog, error) {
	var c Catalog
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Catalog{}, bsk.Errorf(bsk.CodeInvalid, "catalog: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Catalog{}, bsk.Errorf(bsk.CodeInvalid, "catalog: data after the JSON object")
	}
	if err := c.Validate(); err != nil {
		return Catalog{}, err
	}
	return c, nil
}

// ReadCatalog reads and parses the catalog file at path; relative plug-in
// paths become relative to the file's directory. A missing file is
// [bsk.CodeNotFound].
func ReadCatalog(path string) (Catalog, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Catalog{}, &bsk.Error{Code: bsk.CodeNotFound, Message: fmt.Sprintf("catalog %s does not exist", path), Err: err}
		}
		return Catalog{}, bsk.Errorf(bsk.CodeInternal, "read catalog: %w", err)
	}
	c, err := ParseCatalog(b)
	if err != nil {
		return Catalog{}, err
	}
	dir := filepath.Dir(path)
	for i := range c.Plugins {
		if !filepath.IsAbs(c.Plugins[i].Path) {
			c.Plugins[i].Path = filepath.Join(dir, c.Plugins[i].Path)
		}
	}
	return c, nil
}

// Checksum returns the lowercase hex SHA-256 of the file at path, the value
// a catalog entry's SHA256 holds. A missing file is [bsk.CodeNotFound].
func Checksum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", &bsk.Error{Code: bsk.CodeNotFound, Field: "path", Message: fmt.Sprintf("%s does not exist", path), Err: err}
		}
		return "", bsk.Errorf(bsk.CodeInternal, "checksum: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", bsk.Errorf(bsk.CodeInternal, "checksum: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// verify checks the entry's executable against its checksum: a missing
// file is [bsk.CodeNotFound], a different one [bsk.CodeUnauthorized].
func (e Entry) verify() error {
	sum, err := Checksum(e.Path)
	if err != nil {
		return err
	}
	if sum != e.SHA256 {
		return &bsk.Error{Code: bsk.CodeUnauthorized, Field: "sha256",
			Message: fmt.Sprintf("%s has checksum %s, the catalog expects %s: the binary changed since it was registered; refusing to run it", e.Path, sum, e.SHA256)}
	}
	return nil
}
