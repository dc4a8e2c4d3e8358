package server

import (
	"net/http"
	"net/netip"
)

// ForwardedFor is forwardedFor for the tests of package server_test.
func ForwardedFor(remote, xff string, proxies []netip.Prefix) (netip.Addr, bool) {
	r := &http.Request{RemoteAddr: remote, Header: http.Header{"X-Forwarded-For": {xff}}}
	return forwardedFor(r, proxies)
}
