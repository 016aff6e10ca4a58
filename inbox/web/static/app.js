// inkorg staff UI: live updates of the list and of an open conversation,
// answer-bank links into the reply, and keyboard shortcuts. The pages work
// without it.
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
  // isReceipt tells a message event that only tells of a delivery or read
  // receipt: they come often, and the list shows no delivery state.
  function isReceipt(ev) {
    try {
      var data = JSON.parse(ev.data).data;
      return !!data && (data.event === "messages_read" || data.event === "messages_delivered");
    } catch (e) {
      return false;
    }
  }
  function poll() {
    list.setAttribute("data-live-mode", "poll");
    setInterval(refresh, 15000);
  }
  var presenceBox = document.getElementById("presence");
  var threadBox = document.getElementById("thread-live");
  var es = null;
  if ((list || presenceBox || threadBox) && window.EventSource) {
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
      // onmessage also gets the events named "message".
      es.onmessage = function (ev) { if (!isReceipt(ev)) refresh(); };
      ["conversation", "sla", "outbound", "reset"].forEach(function (kind) {
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

  // Live updates of the conversation page: when an event concerns this
  // conversation, its live parts (facts, thread, messaging window,
  // outbound list, the claim and status buttons, the reply form's takeover
  // box, the administration it is routed to, the notes, the history, the
  // work panel's tags, snooze, unassign button and takeover box, and the
  // department panel's question and buttons) are fetched again and put in
  // place. The forms' fields are not among them, so what is being typed,
  // the reply-to choice and the focus outside the parts stay as they are. A part marked
  // data-live-part="unfocused" is left as it is while the focus is in it
  // and put in place when the focus leaves it, so that a button is never
  // taken away under the keyboard. (A function of its own, so that its
  // names do not clash with the presence code's.)
  function liveConversation() {
    var threadConv = threadBox.getAttribute("data-conversation");
    var threadStatus = document.getElementById("thread-status");
    var notice = document.getElementById("conv-notice");
    var threadPending = null;
    var threadAsked = 0;
    var threadShown = 0;
    var leftSeen = false;
    var closed = false;
    var messageIDs = function () {
      var ids = {};
      threadBox.querySelectorAll("li.msg[id]").forEach(function (el) { ids[el.id] = true; });
      return ids;
    };
    var showNotice = function (key) {
      if (!notice || closed) return;
      closed = true;
      notice.className = "warning";
      notice.textContent = notice.getAttribute(key);
    };
    var announce = function (n) {
      if (!threadStatus || n <= 0) return;
      var text = n === 1 ? threadStatus.getAttribute("data-single") : threadStatus.getAttribute("data-several").replace("%d", n);
      // Emptied first, so that the same words are read out again.
      threadStatus.textContent = "";
      setTimeout(function () { threadStatus.textContent = text; }, 100);
    };
    var atBottom = function () {
      var doc = document.documentElement;
      return window.innerHeight + window.scrollY >= doc.scrollHeight - 4;
    };
    // typingIn is the field outside the parts that has the focus, if any.
    var typingIn = function (parts) {
      var a = document.activeElement;
      if (!a || a === document.body || parts.some(function (p) { return p.contains(a); })) return null;
      return a;
    };
    var focusPath = function (parts) {
      var a = document.activeElement;
      var part = parts.filter(function (p) { return p.contains(a) && p !== a; })[0];
      if (!part) return null;
      var holder = a.closest("[id]");
      var inside = Array.prototype.slice.call(holder.querySelectorAll("a[href], summary, button, input"));
      return { id: holder.id, at: inside.indexOf(a) };
    };
    // waiting holds, by id, the new content of the parts that had the
    // focus when it came.
    var waiting = {};
    // put puts each [new, old] part of pairs in place.
    var put = function (pairs) {
      var parts = pairs.map(function (p) { return p[1]; });
      // What stays put on the screen while the parts above it change: the
      // field being typed in when it is in view; else the bottom of the
      // page when the reader was there; else the reply form.
      var field = typingIn(parts);
      var anchor = field || document.getElementById("reply-form") || document.getElementById("note-form");
      var top = anchor ? anchor.getBoundingClientRect().top : 0;
      var shown = anchor && top >= 0 && top < window.innerHeight;
      var bottom = !(field && shown) && atBottom();
      var focus = focusPath(parts);
      var open = {};
      threadBox.querySelectorAll("li.msg[id] details[open]").forEach(function (el) { open[el.closest("li").id] = true; });
      // A box the agent ticked in a part (take over from a colleague)
      // stays ticked when the part comes again with it.
      var ticked = [];
      parts.forEach(function (p) {
        p.querySelectorAll("input[type=checkbox][id]").forEach(function (el) { if (el.checked) ticked.push(el.id); });
      });
      pairs.forEach(function (p) { p[1].innerHTML = p[0].innerHTML; });
      // A hidden panel (the department's, while the question did not wait
      // on it) shows once a part in it has what its data-reveal names.
      document.querySelectorAll("[hidden][data-reveal]").forEach(function (el) {
        if (el.querySelector(el.getAttribute("data-reveal"))) el.hidden = false;
      });
      ticked.forEach(function (id) {
        var box = document.getElementById(id);
        if (box) box.checked = true;
      });
      Object.keys(open).forEach(function (id) {
        var d = document.querySelector("#" + id + " details");
        if (d) d.open = true;
      });
      if (focus) {
        var holder = document.getElementById(focus.id);
        var el = holder && holder.querySelectorAll("a[href], summary, button, input")[focus.at];
        if (el) el.focus({ preventScroll: true });
      }
      if (bottom) {
        window.scrollTo(0, document.documentElement.scrollHeight);
      } else if (shown) {
        var moved = anchor.getBoundingClientRect().top - top;
        if (moved) window.scrollBy(0, moved);
      }
    };
    var apply = function (html) {
      var box = document.createElement("template");
      box.innerHTML = html;
      var pairs = [];
      box.content.querySelectorAll("[data-live-part][id]").forEach(function (src) {
        var dst = document.getElementById(src.id);
        if (!dst) return;
        delete waiting[src.id];
        if (src.getAttribute("data-live-part") === "unfocused" && dst.contains(document.activeElement)) {
          waiting[src.id] = src;
        } else {
          pairs.push([src, dst]);
        }
      });
      var before = messageIDs();
      put(pairs);
      var after = messageIDs();
      announce(Object.keys(after).filter(function (id) { return !before[id]; }).length);
      threadBox.setAttribute("data-refreshed", String(Date.now()));
    };
    // The focus moves only after focusout, and stays where it was when
    // the window loses it: look where it went once it has settled.
    document.addEventListener("focusout", function () {
      setTimeout(function () {
        var pairs = [];
        Object.keys(waiting).forEach(function (id) {
          var dst = document.getElementById(id);
          if (dst && dst.contains(document.activeElement)) return;
          if (dst) pairs.push([waiting[id], dst]);
          delete waiting[id];
        });
        if (pairs.length) put(pairs);
      }, 0);
    });
    var refreshThread = function () {
      if (threadPending || closed) return;
      threadPending = setTimeout(function () {
        threadPending = null;
        var asked = ++threadAsked;
        fetch("/conversations/" + threadConv, {
          headers: { "X-Partial": "thread" },
          credentials: "same-origin"
        }).then(function (resp) {
          if (resp.status === 403 || resp.status === 404) {
            showNotice(leftSeen ? "data-left" : "data-gone");
            return null;
          }
          if (!resp.ok) throw new Error("status " + resp.status);
          return resp.text();
        }).then(function (html) {
          // An older answer that comes in late changes nothing.
          if (html === null || asked < threadShown) return;
          threadShown = asked;
          apply(html);
        }).catch(function () { /* the next event tries again */ });
      }, 300);
    };
    var concerns = function (ev) {
      try {
        var data = JSON.parse(ev.data);
        if (String(data.conversation_id) !== threadConv) return false;
        if (data.data && data.data.left) leftSeen = true;
        return true;
      } catch (e) {
        return false;
      }
    };
    if (es) {
      es.addEventListener("open", function () {
        threadBox.setAttribute("data-live-mode", "sse");
        // What changed since the page was made came in no event.
        refreshThread();
      });
      ["message", "conversation", "outbound", "sla"].forEach(function (kind) {
        es.addEventListener(kind, function (ev) { if (concerns(ev)) refreshThread(); });
      });
      es.addEventListener("reset", refreshThread);
      es.addEventListener("error", function () {
        if (es.readyState === EventSource.CLOSED) {
          threadBox.setAttribute("data-live-mode", "poll");
          setInterval(refreshThread, 15000);
        }
      });
    } else {
      threadBox.setAttribute("data-live-mode", "poll");
      setInterval(refreshThread, 15000);
    }
  }
  if (threadBox) liveConversation();

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
