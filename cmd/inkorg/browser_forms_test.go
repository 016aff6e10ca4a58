package main

import (
	"strings"

	"github.com/chromedp/chromedp"
)

// focusFirst puts keyboard focus on the first conversation link of the
// list and returns its address.
func (b *browser) focusFirst() string {
	b.t.Helper()
	href := b.text(`(function () {
		var a = document.querySelector("#conversation-list a.conv-link");
		if (!a) return "";
		a.focus();
		return a.getAttribute("href");
	})()`)
	if href == "" {
		b.t.Fatal("the list has no conversation link to focus")
	}
	return href
}

// checkFocus fails unless the link to href has keyboard focus.
func (b *browser) checkFocus(href string) {
	b.t.Helper()
	got := b.text(`document.activeElement ? (document.activeElement.getAttribute("href") || document.activeElement.tagName) : ""`)
	if got != href {
		b.t.Errorf("after the live update, focus is on %q, want the link %q", got, href)
	}
}

// bulkConfirm chooses a bulk action on every conversation matching the
// filter, declines the question it asks and checks that the question
// names how many conversations it would act on and that nothing was
// posted.
func (b *browser) bulkConfirm() {
	b.t.Helper()
	evaluate[chromedp.Void](b, `document.body.dataset.stale = "1"`)
	got := b.text(`(function () {
		var asked = "", saved = window.confirm;
		window.confirm = function (m) { asked = m; return false; };
		var form = document.getElementById("bulk-form");
		form.querySelector('input[name="scope"][value="filter"]').checked = true;
		form.querySelector('input[name="action"][value="resolve"]').checked = true;
		try { form.requestSubmit(); } finally { window.confirm = saved; }
		form.querySelector('input[name="scope"][value="selected"]').checked = true;
		form.querySelector('input[name="action"][value="resolve"]').checked = false;
		return form.getAttribute("data-count") + "|" + asked;
	})()`)
	count, asked, _ := strings.Cut(got, "|")
	if count == "" || count == "0" || !strings.Contains(asked, " "+count+" ") {
		b.t.Errorf("bulk on the filter: asked %q, want a question naming the %s conversations", asked, count)
	}
	if evaluate[bool](b, `document.body.dataset.stale !== "1"`) {
		b.t.Error("bulk on the filter was posted although the question was declined")
	}
}
