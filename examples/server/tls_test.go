package main_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// selfSigned writes a certificate for 127.0.0.1 (an IP SAN) and its key,
// as PEM files in dir, and returns their paths and the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "workforce test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	if cert, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

// startWith runs the server binary with args on a free loopback port and
// returns the process and the address it printed ("listening on
// <address>").
func startWith(t *testing.T, bin string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0", "-no-demo", "-log-level", "error"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				found <- u
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			cmd.Wait()
			t.Fatalf("the server exited without listening: %s", stderr.String())
		}
		return cmd, u
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start within 30s")
	}
	return nil, ""
}

// TestTLS starts the real binary with a certificate made here: it
// completes a TLS handshake (HTTP/2, TLS 1.2 at least), refuses TLS 1.1,
// sends Strict-Transport-Security, and serves nothing over plain HTTP on
// that port. A server without TLS sends no HSTS header.
func TestTLS(t *testing.T) {
	bin := buildServer(t)
	certFile, keyFile, cert := selfSigned(t, t.TempDir())
	_, url := startWith(t, bin, "-data", t.TempDir(), "-tls-cert", certFile, "-tls-key", keyFile)
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("listening on %s; want https://127.0.0.1:port", url)
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	client := func(cfg *tls.Config) *http.Client {
		cfg.RootCAs = roots
		return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: true}}
	}

	resp, err := client(&tls.Config{}).Get(url + "/healthz")
	if err != nil {
		t.Fatalf("GET %s/healthz: %v", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz over TLS = %d; want 200", resp.StatusCode)
	}
	if resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Errorf("connection state %+v; want TLS 1.2 or later", resp.TLS)
	}
	if resp.Proto != "HTTP/2.0" {
		t.Errorf("protocol %s; want HTTP/2.0", resp.Proto)
	}
	if got := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") || got == "max-age=0" {
		t.Errorf("Strict-Transport-Security = %q; want a max-age", got)
	}
	// Error answers carry it too.
	resp, err = client(&tls.Config{}).Get(url + "/api/v1/providers")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("unauthenticated GET over TLS = %d, HSTS %q; want 401 with HSTS", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}

	if _, err := client(&tls.Config{MaxVersion: tls.VersionTLS11}).Get(url + "/healthz"); err == nil {
		t.Error("a TLS 1.1 client completed a request; want the handshake refused")
	}

	plain := "http://" + strings.TrimPrefix(url, "https://")
	resp, err = (&http.Client{Timeout: 10 * time.Second}).Get(plain + "/healthz")
	if err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK || strings.Contains(string(body), `"status"`) {
			t.Errorf("plain HTTP on the TLS port = %d %q; want no service", resp.StatusCode, body)
		}
	}

	// Without TLS: no HSTS.
	_, purl := startWith(t, bin, "-data", t.TempDir())
	resp, err = http.Get(purl + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("plain HTTP server sends Strict-Transport-Security %q", got)
	}
}

// TestTLSNeedsBothFiles: a certificate without its key, or a key without
// its certificate, stops the server before it listens, naming the flag.
func TestTLSNeedsBothFiles(t *testing.T) {
	bin := buildServer(t)
	certFile, keyFile, _ := selfSigned(t, t.TempDir())
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-tls-cert", certFile}, "-tls-key"},
		{[]string{"-tls-key", keyFile}, "-tls-cert"},
		{[]string{"-tls-cert", keyFile, "-tls-key", keyFile}, "-tls-cert"},
	} {
		args := append([]string{"-addr", "127.0.0.1:0", "-data", t.TempDir(), "-no-demo"}, tc.args...)
		code, stdout, stderr := runServer(t, bin, nil, args...)
		if code == 0 || strings.Contains(stdout, "listening") || !strings.Contains(stderr, tc.want) {
			t.Errorf("server %q: status %d, %q %q; want a refusal naming %s", tc.args, code, stdout, stderr, tc.want)
		}
	}
}

// servedSerial completes a handshake with the server at url (https://...)
// and returns the serial number of the certificate it presents.
func servedSerial(t *testing.T, url string, roots *x509.CertPool) string {
	t.Helper()
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", strings.TrimPrefix(url, "https://"),
		&tls.Config{RootCAs: roots, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatalf("handshake with %s: %v", url, err)
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0].SerialNumber.String()
}

// TestTLSReloadOnSIGHUP renews the certificate files under a running
// server and sends SIGHUP: the next handshakes present the new
// certificate. Broken files are not taken up: the server keeps serving the
// last good certificate. A server without TLS ignores SIGHUP.
func TestTLSReloadOnSIGHUP(t *testing.T) {
	bin := buildServer(t)
	dir := t.TempDir()
	certFile, keyFile, first := selfSigned(t, dir)
	cmd, url := startWith(t, bin, "-data", t.TempDir(), "-tls-cert", certFile, "-tls-key", keyFile)
	roots := x509.NewCertPool()
	roots.AddCert(first)
	if got := servedSerial(t, url, roots); got != first.SerialNumber.String() {
		t.Fatalf("served serial %s; want the first certificate's %s", got, first.SerialNumber)
	}

	_, _, renewed := selfSigned(t, dir)
	roots.AddCert(renewed)
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	got := ""
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got = servedSerial(t, url, roots); got == renewed.SerialNumber.String() {
			break
		}
	}
	if got != renewed.SerialNumber.String() {
		t.Fatalf("after SIGHUP the server presents serial %s; want the renewed certificate's %s", got, renewed.SerialNumber)
	}

	if err := os.WriteFile(keyFile, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if got := servedSerial(t, url, roots); got != renewed.SerialNumber.String() {
		t.Errorf("after a SIGHUP with a broken key the server presents %s; want the last good certificate %s", got, renewed.SerialNumber)
	}

	pcmd, purl := startWith(t, bin, "-data", t.TempDir())
	if err := pcmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	resp, err := http.Get(purl + "/healthz")
	if err != nil {
		t.Fatalf("a server without TLS after SIGHUP: %v", err)
	}
	resp.Body.Close()
}
