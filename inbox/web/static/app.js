// inkorg staff UI: live list updates, answer-bank links into the reply,
// and keyboard shortcuts. The pages work without it.
(function () {
  "use strict";

  function csrfToken() {
    var el = document.querySelector('input[name="csrf"]');
    return el ? el.value : "";
  }

  // Language switch: come back to the page we are on.
  document.querySelectorAll(".js-back").forEach(function (el) {
    el.value = location.pathname + location.search;
  });

  // Live updates of the conversation list.
  var list = document.getElementById("conversation-list");
  var status = document.getElementById("live-status");
  var pending = null;
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
        list.innerHTML = html;
        list.setAttribute("data-refreshed", String(Date.now()));
        if (status) status.textContent = status.getAttribute("data-text");
      }).catch(function () { /* the next event tries again */ });
    }, 300);
  }
  function poll() {
    list.setAttribute("data-live-mode", "poll");
    setInterval(refresh, 15000);
  }
  if (list) {
    if (window.EventSource) {
      var es = new EventSource("/api/v1/events", { withCredentials: true });
      es.onopen = function () { list.setAttribute("data-live-mode", "sse"); };
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
  document.querySelectorAll(".js-use-draft").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var kind = document.querySelector('input[name="kind"][value="' + btn.getAttribute("data-kind") + '"]');
      if (kind) kind.checked = true;
      if (reply) reply.value = "";
      insert(btn.getAttribute("data-draft"));
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
