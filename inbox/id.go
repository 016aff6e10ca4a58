package inbox

import "strconv"

// ParseID reads an id as it is written in a path or on the command line:
// a plain positive decimal integer, digits only, without a sign, leading
// zeros or spaces. Another spelling of the same number ("+8", "08") is
// not an id, so that one id has one address.
func ParseID(s string) (int64, bool) {
	if s == "" || s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil
}
