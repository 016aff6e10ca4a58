// inkorg staff UI: live list updates, answer-bank links into the reply,
// and keyboard shortcuts. The pages work without it.
(function () {
  "use strict";

  function csrfToken() {
    var el = document.querySelector('input[name="csrf"]');
    return el ? el.value : "";
  }

  // A form the server refused comes back as the page it was posted to,
  // with what was typed still in it; show the page's own address, so that
  // a reload or the language switch does not post the form again.
  var canonical = document.querySelector("[data-canonical]");
  if (canonical && window.history && history.replaceState) {
    var canon = canonical.getAttribute("data-canonical");
    if (canon && canon.split("?")[0] !== location.pathname) history.replaceState(null, "", canon);
  }

  // Language switch: come back to the page we are on.
  document.querySelectorAll(".js-back").forEach(function (el) {
    el.value = location.pathname + location.search;
  });

  // Live updates of the conversation list.
  var list = document.getElementById("conversation-list");
  var status = document.getElementById("live-status");
  var pending = null;
  // focusKey names a link or tick box of the list so that it can be found
  // again after the list is replaced.
  function focusKey(el) {
    if (el.tagName === "A") return "a " + el.getAttribute("href");
    if (el.tagName === "INPUT" && el.name === "id") return "id " + el.value;
    return "";
  }
  function focusables() {
    return Array.prototype.slice.call(list.querySelectorAll('a[href], input[name="id"]'));
  }
  function refresh() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      fetch(location.pathname + location.search, {
        headers: { "X-Partial": "list" },
        credentials: "same-origin"
      }).then(function (resp) {
        if (!resp.ok) throw new Error("status " + resp.status);
        return resp.text();
      }).then(function (html) {
        var ticked = {};
        list.querySelectorAll('input[name="id"]:checked').forEach(function (el) { ticked[el.value] = true; });
        // Keep keyboard focus where it was, not on <body>: on the same
        // conversation, or at the same place when it left the list.
        var active = document.activeElement;
        var key = active && list.contains(active) ? focusKey(active) : "";
        var at = key ? focusables().indexOf(active) : -1;
        list.innerHTML = html;
        list.querySelectorAll('input[name="id"]').forEach(function (el) { if (ticked[el.value]) el.checked = true; });
        if (key) {
          var now = focusables();
          var same = now.filter(function (el) { return focusKey(el) === key; })[0] || now[Math.min(at, now.length - 1)];
          if (same) same.focus({ preventScroll: true });
        }
        list.setAttribute("data-refreshed", String(Date.now()));
        if (status) status.textContent = status.getAttribute("data-text");
      }).catch(function () { /* the next event tries again */ });
    }, 300);
  }
  function poll() {
    list.setAttribute("data-live-mode", "poll");
    setInterval(refresh, 15000);
  }
  var presenceBox = document.getElementById("presence");
  var es = null;
  if ((list || presenceBox) && window.EventSource) {
    es = new EventSource("/api/v1/events", { withCredentials: true });
  }
  if (list) {
    if (es) {
      es.onopen = function () {
        list.setAttribute("data-live-mode", "sse");
        // What changed before the stream opened (since the page was made,
        // or while the connection was down) came in no event.
        refresh();
      };
      es.onmessage = refresh;
      ["message", "conversation", "sla", "outbound", "reset"].forEach(function (kind) {
        es.addEventListener(kind, refresh);
      });
      es.onerror = function () {
        if (es.readyState === EventSource.CLOSED) poll();
      };
    } else {
      poll();
    }
  }

  // Bulk actions: tick every conversation on the page.
  var selectAll = document.getElementById("select-all");
  if (selectAll) {
    document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    selectAll.addEventListener("change", function () {
      document.querySelectorAll('#conversation-list input[name="id"]').forEach(function (el) { el.checked = selectAll.checked; });
    });
  }
  // Bulk actions on every conversation matching the filter: say how many
  // (the server counted them) and ask first.
  var bulkForm = document.getElementById("bulk-form");
  if (bulkForm) {
    bulkForm.addEventListener("submit", function (ev) {
      var scope = bulkForm.querySelector('input[name="scope"]:checked');
      if (scope && scope.value === "filter" && !window.confirm(bulkForm.getAttribute("data-confirm"))) ev.preventDefault();
    });
  }

  // Presence: tell others this conversation is open here, and whether we
  // are typing; show who else is here.
  if (presenceBox) {
    var convID = presenceBox.getAttribute("data-conversation");
    var me = presenceBox.getAttribute("data-user");
    var others = {};
    var typingUntil = 0;
    var stopTyping = null;
    var shown = "";
    var render = function () {
      var now = Date.now();
      var lines = [];
      Object.keys(others).sort().forEach(function (id) {
        var p = others[id];
        if (p.until <= now) { delete others[id]; return; }
        var tmpl = presenceBox.getAttribute(p.state === "typing" ? "data-typing" : "data-viewing");
        lines.push(tmpl.replace("%s", p.name));
      });
      var text = lines.join(" · ");
      if (text !== shown) { presenceBox.textContent = text; shown = text; }
    };
    var remember = function (p) {
      if (String(p.user_id) === me) return;
      others[p.user_id] = { name: p.name, state: p.state, until: Date.parse(p.until) };
    };
    var announce = function (state) {
      if (document.hidden) return;
      fetch("/api/v1/conversations/" + convID + "/presence", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
        body: JSON.stringify({ state: state })
      }).then(function (resp) {
        if (!resp.ok) throw new Error("status " + resp.status);
        return resp.json();
      }).then(function (body) {
        (body.presence || []).forEach(remember);
        render();
      }).catch(function () { /* presence is a courtesy; the page works without it */ });
    };
    announce("viewing");
    setInterval(function () { announce(Date.now() < typingUntil ? "typing" : "viewing"); }, 10000);
    setInterval(render, 2000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) announce("viewing"); });
    document.querySelectorAll("#reply-text, #note-text, #answer-text").forEach(function (el) {
      el.addEventListener("input", function () {
        var now = Date.now();
        if (now >= typingUntil) announce("typing");
        typingUntil = now + 5000;
        clearTimeout(stopTyping);
        stopTyping = setTimeout(function () { announce("viewing"); }, 5000);
      });
    });
    if (es) {
      es.addEventListener("presence", function (ev) {
        try {
          var data = JSON.parse(ev.data);
          if (String(data.conversation_id) !== convID || !data.data) return;
          remember(data.data);
          render();
        } catch (e) { /* ignore a malformed event */ }
      });
    }
  }

  // Answer-bank suggestions: insert the draft (or the link) into the reply.
  var reply = document.getElementById("reply-text");
  function insert(text) {
    if (!reply) return;
    var sep = reply.value && !/\s$/.test(reply.value) ? "\n" : "";
    reply.value = reply.value + sep + text;
    reply.focus();
  }
  document.querySelectorAll(".js-insert").forEach(function (btn) {
    btn.addEventListener("click", function () {
      insert(reply && reply.value ? btn.getAttribute("data-url") : (btn.getAttribute("data-draft") || btn.getAttribute("data-url")));
    });
  });
  // The private reply draft for a comment with personal data: it answers
  // that comment (reply_to), not the thread's latest one, and replaces
  // what the agent wrote only when they say so.
  var replyTo = document.getElementById("reply-to");
  document.querySelectorAll(".js-use-draft").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var draft = btn.getAttribute("data-draft") || "";
      if (reply && reply.value.trim() && reply.value.trim() !== draft.trim() && !window.confirm(btn.getAttribute("data-confirm"))) return;
      var kind = document.querySelector('input[name="kind"][value="' + btn.getAttribute("data-kind") + '"]');
      if (kind) kind.checked = true;
      if (replyTo) replyTo.value = btn.getAttribute("data-message") || "";
      if (reply) reply.value = "";
      insert(draft);
    });
  });
  // Choosing another kind of reply answers the thread as usual again.
  document.querySelectorAll('#reply-form input[name="kind"]').forEach(function (el) {
    el.addEventListener("change", function () {
      if (replyTo && el.checked && el.value !== "private") replyTo.value = "";
    });
  });

  // Keyboard shortcuts, outside text fields: c claim, r reply, n note,
  // g inbox, / search.
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var target = null;
    switch (ev.key) {
      case "c": target = document.getElementById("claim"); if (target) { ev.preventDefault(); target.click(); } return;
      case "r": target = document.getElementById("reply-text"); break;
      case "n": target = document.getElementById("note-text"); break;
      case "/": target = document.getElementById("q"); break;
      case "g": ev.preventDefault(); location.href = "/"; return;
      default: return;
    }
    if (target) { ev.preventDefault(); target.focus(); }
  });

  window.inkorg = { csrfToken: csrfToken };
})();
