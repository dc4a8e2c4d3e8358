package main

import (
	"context"
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
	"path/filepath"
	"strings"
	"testing"
	"time"

	"marshrut/internal/auth"
)

// selfSigned writes a certificate for 127.0.0.1 and its key into dir.
func selfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "marshrut-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(k)
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return cert, key
}

// serve speaks HTTPS itself from a certificate and key file, with HSTS and
// Secure cookies; the metrics are served on their own address only.
func TestServeTLSAndMetricsAddr(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	cfg := testConfig()
	cfg.DatabaseURL = filepath.Join(dir, "tls.db")
	cfg.Addr = "127.0.0.1:0"
	cfg.LogLevel = 8
	cfg.TLSCert, cfg.TLSKey = selfSigned(t, dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.MetricsAddr = ln.Addr().String()
	ln.Close()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// An audit entry past the retention period (three years by default) and
	// one within it: serve's retention job removes the first only.
	for _, at := range []time.Time{testClock().AddDate(-4, 0, 0), testClock().AddDate(-2, 0, 0)} {
		if err := st.Auth.Audit(ctx, auth.AuditEntry{At: at, Role: auth.Region, Action: "learners.list", RegionCode: cfg.Region, Persons: 10}); err != nil {
			t.Fatal(err)
		}
	}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, &env{clock: testClock, stdout: io.Discard, stderr: io.Discard}, &cfg, st, func(addr string) { ready <- addr })
	}()
	addr := <-ready
	if entries, _, _ := st.Auth.AuditLog(ctx, auth.AuditFilter{}); len(entries) != 1 || entries[0].At.Before(testClock().AddDate(-3, 0, 0)) {
		t.Errorf("after the retention job: %+v", entries)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := c.Get("https://" + addr + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.TLS == nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("login over TLS: %d, HSTS %q", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
	for _, ck := range resp.Cookies() {
		if !ck.Secure {
			t.Errorf("cookie %s is not Secure over TLS", ck.Name)
		}
	}
	if plain, err := http.Get("http://" + addr + "/login"); err == nil {
		if plain.StatusCode == 200 {
			t.Error("plain HTTP served on the TLS address")
		}
		plain.Body.Close()
	}
	resp, err = c.Get("https://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the main address without a token: %d", resp.StatusCode)
	}
	resp, err = http.Get("http://" + cfg.MetricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "marshrut_security_events_total") {
		t.Errorf("/metrics on its own address: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}
