package inbox

// ErrReadOnlyToken is what a read-only API token is told when it asks for
// anything but a read.
const ErrReadOnlyToken = "This API token is read-only: it may only read (GET, HEAD, OPTIONS). Make changes with a token created without --read-only."

// Permits reports whether the token may make a request with the HTTP
// method: a full token any, a read-only one only a read. No GET, HEAD or
// OPTIONS endpoint of the API changes what it serves (reading a person's
// data is audited, as reading), so the method alone decides.
func (t *APIToken) Permits(method string) bool {
	return !t.ReadOnly || ReadMethod(method)
}

// ReadMethod reports whether an HTTP method only reads: GET, HEAD or
// OPTIONS.
func ReadMethod(method string) bool {
	switch method {
	case "GET", "HEAD", "OPTIONS":
		return true
	}
	return false
}
