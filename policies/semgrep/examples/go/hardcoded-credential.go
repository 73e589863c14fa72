package example

import "os"

// ruleid: gantry.go.hardcoded-credential
var dbPassword = "hunter2-but-longer"

func credentials() (string, string, string) {
	// ruleid: gantry.go.hardcoded-credential
	apiKey := "example-not-a-real-key"
	// ok: gantry.go.hardcoded-credential
	authToken := os.Getenv("AUTH_TOKEN")
	// ok: gantry.go.hardcoded-credential
	passwordField := "password"
	return dbPassword + apiKey, authToken, passwordField
}
