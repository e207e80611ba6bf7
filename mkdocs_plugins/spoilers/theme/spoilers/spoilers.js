// Spoiler levels in the browser. No framework; runs on every page through Material's document$.
//
// - remembers the level a reader chose, per film, in this browser only (localStorage);
// - a level's own address is a gate that holds nothing above the spoiler-free page: on "Show me"
//   (or at once, for a reader who already chose that level or a later one) the level's text is
//   fetched from reveal.html beside it and put in place, without changing the address;
// - keeps the reader's place: switching level keeps the section, and "Continue at ..." on the
//   spoiler-free page returns to the section last read.
(function () {
  "use strict";
  var PREFIX = "spoilers:";
  function get(key) { try { return localStorage.getItem(PREFIX + key); } catch (e) { return null; } }
  function set(key, value) { try { localStorage.setItem(PREFIX + key, value); } catch (e) { /* private mode */ } }
  function drop(key) { try { localStorage.removeItem(PREFIX + key); } catch (e) { /* ignore */ } }

  // The section the reader is in: the last heading above the top third of the viewport,
  // among those that also exist at the target level (sections carry their level).
  function place(root, maxRank, levels) {
    var found = null;
    var line = window.innerHeight / 3;
    root.querySelectorAll("[data-spoilers-section]").forEach(function (s) {
      var rank = levels.indexOf(s.getAttribute("data-spoilers-section-level"));
      if (rank <= maxRank && s.getBoundingClientRect().top < line) found = s.getAttribute("data-spoilers-section");
    });
    return found;
  }

  // One live region for the whole visit, outside the film body (which a reveal replaces), made
  // when a film page is first set up: a region that appears together with its message is often
  // not announced.
  function liveRegion() {
    var live = document.getElementById("spoilers-live");
    if (!live) {
      live = document.createElement("p");
      live.id = "spoilers-live";
      live.className = "spoilers-status";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    return live;
  }

  function announce(text) {
    var live = liveRegion();
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  // The level's text: the fetch the gate's inline script started for a returning reader, or
  // a new one.
  function levelText(url) {
    var early = window.spoilersEarly;
    window.spoilersEarly = null;
    if (early && early.url === url) return early.text;
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    });
  }

  // Put the level's text in place of the gate: the film body and the table of contents.
  function reveal(root, url, label, byClick) {
    root.setAttribute("aria-busy", "true");
    return levelText(url)
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var body = doc.querySelector("[data-spoilers-film]");
        if (!body || body.hasAttribute("data-spoilers-gated")) throw new Error("no text");
        var fresh = document.importNode(body, true);
        root.replaceWith(fresh);
        var toc = doc.querySelector("nav.md-nav--secondary");
        var mine = document.querySelector("nav.md-nav--secondary");
        if (toc && mine) mine.replaceWith(document.importNode(toc, true));
        // Let Material mount its components (table of contents, scroll spy) on the new content,
        // as it does after its own instant navigation.
        if (typeof document$ !== "undefined" && document$.next) document$.next(document);
        else setup();
        var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
        if (target) target.scrollIntoView();
        announce(label + " is now shown.");
        if (byClick) {
          var start = fresh.querySelector("#spoilers-recap, .spoilers-main h2");
          if (start) { start.setAttribute("tabindex", "-1"); start.focus({ preventScroll: !!target }); }
        }
      })
      .catch(function () {
        root.removeAttribute("aria-busy");
        root.classList.remove("spoilers-returning");
        var gate = root.querySelector(".spoilers-gate");
        if (gate && !gate.querySelector(".spoilers-gate__error")) {
          var p = document.createElement("p");
          p.className = "spoilers-gate__error";
          p.textContent = "The text could not be loaded. Check your connection, then choose Show me again.";
          gate.appendChild(p);
        }
        announce("The text could not be loaded.");
      });
  }

  // Remember which section of which level the reader was in, for "Continue at ...".
  function keepPlace(root, film, level) {
    var sections = root.querySelectorAll("[data-spoilers-section]");
    if (!sections.length) return;
    var timer = null;
    window.addEventListener("scroll", function onScroll() {
      if (!document.body.contains(root)) { window.removeEventListener("scroll", onScroll); return; }
      if (timer) return;
      timer = window.setTimeout(function () {
        timer = null;
        var current = null;
        var line = window.innerHeight / 3;
        sections.forEach(function (s) { if (s.getBoundingClientRect().top < line) current = s.getAttribute("data-spoilers-section"); });
        if (current) set("place:" + film, level + "#" + current);
      }, 300);
    }, { passive: true });
  }

  function setup() {
    // Material's search dialog has no accessible name; give it one (axe: aria-dialog-name).
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    var root = document.querySelector("[data-spoilers-film]");
    if (!root || root.hasAttribute("data-spoilers-ready")) return;
    root.setAttribute("data-spoilers-ready", "");
    liveRegion();
    var film = root.getAttribute("data-spoilers-film");
    var level = root.getAttribute("data-spoilers-level");
    var levels = root.getAttribute("data-spoilers-levels").split(" ");
    var rank = levels.indexOf(level);
    var chosen = get(film);
    var chosenRank = levels.indexOf(chosen);
    var links = {};
    root.querySelectorAll(".spoilers-switcher a[data-spoilers-level], .spoilers-next a[data-spoilers-level]").forEach(function (a) {
      var target = a.getAttribute("data-spoilers-level");
      if (a.closest(".spoilers-switcher")) links[target] = a;
      a.addEventListener("click", function () {
        var targetRank = levels.indexOf(target);
        // Choosing the spoiler-free page keeps the memory, so it can offer "continue at".
        if (targetRank > 0) set(film, target);
        var section = place(root, targetRank, levels);
        if (section) a.href = a.href.split("#")[0] + "#" + section;
      });
    });
    var gated = root.hasAttribute("data-spoilers-gated");
    if (gated) {
      var button = root.querySelector("[data-spoilers-reveal]");
      var label = links[level] ? links[level].querySelector(".spoilers-step__label").textContent : level;
      if (button) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          if (levels.indexOf(get(film)) < rank) set(film, level);
          reveal(root, button.href, label, true);
        });
      }
      if (chosenRank >= rank && button) reveal(root, button.href, label, false);
      return;
    }
    // The place kept is in a level's text: reading the spoiler-free page must not overwrite it.
    if (rank > 0) keepPlace(root, film, level);
    var offer = root.querySelector("[data-spoilers-continue]");
    if (offer && rank === 0 && chosenRank > 0 && links[chosen]) {
      var chosenLabel = links[chosen].querySelector(".spoilers-step__label").textContent;
      var where = get("place:" + film) || "";
      var section = where.indexOf(chosen + "#") === 0 ? where.slice(chosen.length + 1) : "";
      offer.textContent = "You chose " + chosenLabel + " for this film earlier. ";
      var go = document.createElement("a");
      go.href = links[chosen].getAttribute("href") + (section ? "#" + section : "");
      go.textContent = "Continue at " + chosenLabel + (section ? ", where you left off" : "");
      var no = document.createElement("button");
      no.type = "button";
      no.textContent = "Forget my choice";
      no.addEventListener("click", function () { drop(film); drop("place:" + film); offer.hidden = true; });
      offer.appendChild(go);
      offer.appendChild(no);
      offer.hidden = false;
    }
  }

  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
