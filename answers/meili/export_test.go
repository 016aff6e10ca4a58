package meili

// SetPageSize makes document listings read n ids a request until the
// test ends.
func SetPageSize(t interface{ Cleanup(func()) }, n int64) {
	old := pageSize
	pageSize = n
	t.Cleanup(func() { pageSize = old })
}
