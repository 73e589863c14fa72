package example

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
)

func clients(pool *x509.CertPool) (*http.Client, *http.Client) {
	// ruleid: gantry.go.tls-verification-disabled
	insecure := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true}
	// ok: gantry.go.tls-verification-disabled
	secure := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: insecure}},
		&http.Client{Transport: &http.Transport{TLSClientConfig: secure}}
}
