package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr puts the client's own address into the request when it comes
// through a trusted reverse proxy: the rightmost address of X-Forwarded-For
// that is not itself a trusted proxy. From any other peer the header is
// ignored, so that a client cannot name an address of its choosing; the
// login limits and the audit log then see each user, not the proxy.
func (s *Server) clientAddr(next http.Handler) http.Handler {
	if len(s.d.TrustedProxies) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ip, ok := forwardedFor(r, s.d.TrustedProxies); ok {
			r2 := r.WithContext(r.Context())
			r2.RemoteAddr = net.JoinHostPort(ip.String(), "0")
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

func trusted(ip netip.Addr, proxies []netip.Prefix) bool {
	ip = ip.Unmap()
	for _, p := range proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// forwardedFor is the client behind trusted proxies, when the peer is one.
func forwardedFor(r *http.Request, proxies []netip.Prefix) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !trusted(peer, proxies) {
		return netip.Addr{}, false
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	client := netip.Addr{}
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a malformed hop: nothing left of it can be believed
		}
		client = ip.Unmap()
		if !trusted(ip, proxies) {
			return client, true
		}
	}
	return client, client.IsValid()
}
