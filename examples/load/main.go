// Command load drives a running reference server on this machine with a
// bounded mix of provider reads and writes from concurrent clients, and
// prints throughput and latency percentiles. It refuses any address that is
// not loopback, and stops after -duration or -max-requests, whichever comes
// first.
//
//	go run ./examples/server -data /tmp/load-data &
//	go run ./examples/load -url http://127.0.0.1:8080 -key-file /tmp/load-data/admin.key -mode read
//	go run ./examples/load -url http://127.0.0.1:8080 -key-file /tmp/load-data/admin.key -mode write
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run() error {
	base := flag.String("url", "http://127.0.0.1:8080", "server URL (loopback only)")
	keyFile := flag.String("key-file", "data/admin.key", "file holding an administrator API key")
	clients := flag.Int("clients", 32, "concurrent clients (1-256)")
	duration := flag.Duration("duration", 10*time.Second, "how long to run (at most 2m)")
	maxReq := flag.Int64("max-requests", 1_000_000, "stop after this many requests")
	mode := flag.String("mode", "read", "read, write or mixed (9 reads : 1 write)")
	flag.Parse()

	u, err := url.Parse(*base)
	if err != nil {
		return err
	}
	ips, err := net.LookupIP(u.Hostname())
	if err != nil || len(ips) == 0 {
		return fmt.Errorf("cannot resolve %q", u.Hostname())
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("%s is not a loopback address: this tool only loads servers on this machine", u.Hostname())
		}
	}
	if *clients < 1 || *clients > 256 || *duration <= 0 || *duration > 2*time.Minute || *maxReq < 1 {
		return fmt.Errorf("-clients must be 1-256, -duration at most 2m, -max-requests positive")
	}
	keyBytes, err := os.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	key := strings.TrimSpace(string(keyBytes))
	tr := &http.Transport{MaxIdleConnsPerHost: *clients, MaxConnsPerHost: *clients}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	ids, err := providerIDs(client, *base, key)
	if err != nil {
		return err
	}
	if len(ids) == 0 && *mode != "write" {
		return fmt.Errorf("the server has no providers to read")
	}
	org := "org-load"
	body, _ := json.Marshal(map[string]any{"id": org, "name": "Load test agency", "kind": "clinic", "grantee": false,
		"bipoc_led": false, "community_designed": false, "place": "seattle", "serves_young_children": true})
	do(client, "POST", *base+"/api/v1/organizations", key, body) // may exist already

	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	var sent atomic.Int64
	var errs atomic.Int64
	type sample struct {
		write bool
		d     time.Duration
	}
	results := make([][]sample, *clients)
	runID := time.Now().UnixNano()
	var wg sync.WaitGroup
	start := time.Now()
	for c := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), uint64(runID)))
			for i := 0; ctx.Err() == nil && sent.Add(1) <= *maxReq; i++ {
				write := *mode == "write" || (*mode == "mixed" && r.IntN(10) == 0)
				t0 := time.Now()
				var status int
				if write {
					p, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("load-%d-%d-%d", runID, c, i), "organization_id": org,
						"name": "Load", "role": "direct_service", "languages": []string{"en"}, "demographics": map[string]any{}, "years_experience": 1})
					status = do(client, "POST", *base+"/api/v1/providers", key, p)
				} else {
					status = do(client, "GET", *base+"/api/v1/providers/"+ids[r.IntN(len(ids))], key, nil)
				}
				if status/100 != 2 {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				results[c] = append(results[c], sample{write, time.Since(t0)})
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var reads, writes []time.Duration
	for _, rs := range results {
		for _, s := range rs {
			if s.write {
				writes = append(writes, s.d)
			} else {
				reads = append(reads, s.d)
			}
		}
	}
	fmt.Printf("mode=%s clients=%d elapsed=%.2fs errors=%d\n", *mode, *clients, elapsed.Seconds(), errs.Load())
	report("reads", reads, elapsed)
	report("writes", writes, elapsed)
	return nil
}

func report(name string, ds []time.Duration, elapsed time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	pct := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	fmt.Printf("%-6s n=%d rate=%.0f/s p50=%.2fms p99=%.2fms max=%.2fms\n", name, len(ds), float64(len(ds))/elapsed.Seconds(),
		ms(pct(0.50)), ms(pct(0.99)), ms(ds[len(ds)-1]))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func do(c *http.Client, method, u, key string, body []byte) int {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return 0
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// providerIDs lists up to 2,000 provider IDs to read.
func providerIDs(c *http.Client, base, key string) ([]string, error) {
	var ids []string
	cursor := ""
	for len(ids) < 2000 {
		req, _ := http.NewRequest("GET", base+"/api/v1/providers?limit=500&cursor="+url.QueryEscape(cursor), nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("listing providers: %w", err)
		}
		for _, it := range page.Items {
			ids = append(ids, url.PathEscape(it.ID))
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	return ids, nil
}
