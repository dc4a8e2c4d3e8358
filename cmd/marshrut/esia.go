package main

import (
	"strings"

	"marshrut/internal/config"
	"marshrut/internal/sso"
)

// gost is the certified ГОСТ provider an installation registered with ЕСИА
// compiles in: a file of its own beside this one sets it from init, and
// returns the Signer with the key of the certificate registered in ЕСИА and
// the Verifier with ЕСИА's certificate. Marshrut ships none, so signing in
// through Госуслуги stays off and the login page says why.
var gost func(cfg *config.Config) (sso.Signer, sso.Verifier, error)

// esia is the connection to Госуслуги the configuration describes; off
// (not Ready) without an address or a provider.
func esia(cfg *config.Config) (*sso.ESIA, error) {
	if cfg.ESIASigner == nil && cfg.ESIAVerifier == nil && gost != nil && cfg.ESIAURL != "" {
		s, v, err := gost(cfg)
		if err != nil {
			return nil, err
		}
		cfg.ESIASigner, cfg.ESIAVerifier = s, v
	}
	return &sso.ESIA{URL: cfg.ESIAURL, ClientID: cfg.ESIAClientID, RedirectURL: strings.TrimRight(cfg.BaseURL, "/") + "/login/esia/callback",
		Scope: cfg.ESIAScope, Signer: cfg.ESIASigner, Verifier: cfg.ESIAVerifier, Client: cfg.ESIAClient, Now: cfg.NowFunc()}, nil
}
