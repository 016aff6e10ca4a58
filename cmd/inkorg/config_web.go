package main

import (
	"net/netip"
	"net/url"
	"strings"

	"inkorg/inbox/web"
)

// oidcVariables configure single sign-on, in the order of web.OIDCConfig.
var oidcVariables = []string{
	"INKORG_OIDC_ISSUER", "INKORG_OIDC_CLIENT_ID", "INKORG_OIDC_CLIENT_SECRET", "INKORG_OIDC_REDIRECT_URL",
	"INKORG_OIDC_NAME_CLAIM", "INKORG_OIDC_ROLE_CLAIM", "INKORG_OIDC_ADMINISTRATION_CLAIM",
}

// parseOIDCConfig reads the INKORG_OIDC_* variables; nil when
// INKORG_OIDC_ISSUER is unset (sign-in with passwords only).
func parseOIDCConfig(get func(string) string) (*web.OIDCConfig, error) {
	v := make([]string, len(oidcVariables))
	for i, name := range oidcVariables {
		v[i] = get(name)
	}
	if v[0] == "" {
		return nil, nil
	}
	cfg := &web.OIDCConfig{Issuer: v[0], ClientID: v[1], ClientSecret: v[2], RedirectURL: v[3],
		NameClaim: v[4], RoleClaim: v[5], AdministrationClaim: v[6]}
	if u, err := url.Parse(cfg.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, configErrorf("INKORG_OIDC_ISSUER: %q is not an http(s) URL", cfg.Issuer)
	}
	if cfg.ClientID == "" {
		return nil, configErrorf("INKORG_OIDC_CLIENT_ID is required with INKORG_OIDC_ISSUER")
	}
	if u, err := url.Parse(cfg.RedirectURL); err != nil || u.Host == "" || u.Path != "/login/oidc/callback" {
		return nil, configErrorf("INKORG_OIDC_REDIRECT_URL must be inkorg's https://HOST/login/oidc/callback, got %q", cfg.RedirectURL)
	}
	return cfg, nil
}

// parseTrustedProxies reads INKORG_TRUSTED_PROXIES: addresses and CIDR
// ranges, comma-separated; none when empty.
func parseTrustedProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil || a.Zone() != "" {
				return nil, configErrorf("INKORG_TRUSTED_PROXIES: %q is not an IP address or a CIDR range like 10.0.0.0/8; list the reverse proxies in front of inkorg, comma-separated", item)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Bits() == 0 {
			return nil, configErrorf("INKORG_TRUSTED_PROXIES: %q trusts every address, so any client could choose its own; list only the reverse proxies in front of inkorg", item)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
