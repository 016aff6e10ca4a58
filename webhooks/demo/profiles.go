package demo

// Profile is the public profile of a demo Messenger sender, as the Graph
// API answers GET /{psid}: Messenger webhooks carry only the id.
type Profile struct {
	PSID      string
	FirstName string
	LastName  string
}

// Profiles returns the profiles of the demo Messenger senders whose names
// Meta gives out. The last sender has none: Meta often refuses a profile,
// and the inbox then keeps showing the contact without a name.
func Profiles() []Profile {
	return []Profile{
		{PSID: "6660001", FirstName: "Birgitta", LastName: "Holm"},
		{PSID: "6660002", FirstName: "Mohammed", LastName: "Al-Sayed"},
		{PSID: "6660003", FirstName: "Jonas", LastName: "Weber"},
	}
}
