package inboxtest

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BrowserContext starts headless Chromium (the binary at chromium, from
// Chromium) with a window of width × height and returns a chromedp context
// for its first tab, ended after timeout or when the test ends.
func BrowserContext(t testing.TB, chromium string, width, height int, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.WindowSize(width, height), chromedp.Flag("disable-dev-shm-usage", true))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelCtx)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancel)
	return ctx
}
