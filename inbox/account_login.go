package inbox

// AccountLogin is how a managed account signs in to Meta. It decides the
// Graph API host: Facebook Login (a Page access token) calls
// graph.facebook.com, Instagram API with Instagram Login (an Instagram
// user access token) graph.instagram.com.
type AccountLogin string

// The ways an account signs in.
const (
	// LoginFacebook is Facebook Login: a Facebook Page, or an Instagram
	// professional account linked to a Page, with a Page access token.
	LoginFacebook AccountLogin = "facebook"
	// LoginInstagram is Instagram API with Instagram Login: an Instagram
	// professional account with an Instagram user access token, no Page.
	LoginInstagram AccountLogin = "instagram"
)

// Valid reports whether l is a known login.
func (l AccountLogin) Valid() bool { return l == LoginFacebook || l == LoginInstagram }

// ValidateLogin reports, as EINVALID, why login cannot be the login of an
// account on platform: Instagram Login is for Instagram accounts only.
// "" is valid and means Facebook Login.
func ValidateLogin(platform Platform, login AccountLogin) error {
	switch {
	case login == "":
		return nil
	case !login.Valid():
		return ruleError(EINVALID, "Okänt inloggningssätt %q; använd facebook eller instagram.",
			"Unknown login %q; use facebook or instagram.", login)
	case login == LoginInstagram && platform != PlatformInstagram:
		return ruleError(EINVALID, "Bara Instagramkonton kan använda Instagram Login.",
			"Only Instagram accounts can use Instagram Login.")
	}
	return nil
}

// InstagramLogin reports whether the account's calls go to the Instagram
// Graph API host.
func (a *Account) InstagramLogin() bool { return a != nil && a.Login == LoginInstagram }
