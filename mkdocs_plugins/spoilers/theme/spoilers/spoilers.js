// Spoiler levels: remember the reader's choice per film, unlock the deep-link gate for readers
// who already chose this level, offer "continue at" on the spoiler-free page, and keep the
// reader's place when switching. No framework; re-run on every page via Material's document$.
(function () {
  "use strict";
  var PREFIX = "spoilers:";
  function load(film) { try { return localStorage.getItem(PREFIX + film); } catch (e) { return null; } }
  function save(film, level) { try { localStorage.setItem(PREFIX + film, level); } catch (e) { /* private mode */ } }
  function forget(film) { try { localStorage.removeItem(PREFIX + film); } catch (e) { /* ignore */ } }

  // The section the reader is in: the last heading above the top third of the viewport,
  // among those that also exist at the target level (sections carry their level's rank).
  function place(root, maxRank, levels) {
    var found = null;
    var line = window.innerHeight / 3;
    root.querySelectorAll("[data-spoilers-section]").forEach(function (s) {
      var rank = levels.indexOf(s.getAttribute("data-spoilers-section-level"));
      if (rank <= maxRank && s.getBoundingClientRect().top < line) found = s.getAttribute("data-spoilers-section");
    });
    return found;
  }

  function setup() {
    // Material's search dialog has no accessible name; give it one (axe: aria-dialog-name).
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    var root = document.querySelector("[data-spoilers-film]");
    if (!root) return;
    var film = root.getAttribute("data-spoilers-film");
    var level = root.getAttribute("data-spoilers-level");
    var levels = root.getAttribute("data-spoilers-levels").split(" ");
    var rank = levels.indexOf(level);
    var chosen = load(film);
    var chosenRank = levels.indexOf(chosen);
    var links = {};
    root.querySelectorAll(".spoilers-switcher a[data-spoilers-level]").forEach(function (a) {
      var target = a.getAttribute("data-spoilers-level");
      links[target] = a;
      a.addEventListener("click", function () {
        var targetRank = levels.indexOf(target);
        // Choosing the spoiler-free page keeps the memory, so it can offer "continue at".
        if (targetRank > 0) save(film, target);
        var section = place(root, targetRank, levels);
        if (section) a.href = a.href.split("#")[0] + "#" + section;
      });
    });
    var toggle = root.querySelector(".spoilers-gate__toggle");
    if (toggle) {
      if (chosenRank >= rank) toggle.checked = true;
      toggle.addEventListener("change", function () {
        if (toggle.checked && levels.indexOf(load(film)) < rank) save(film, level);
      });
    }
    var offer = root.querySelector("[data-spoilers-continue]");
    if (offer && rank === 0 && chosenRank > 0 && links[chosen]) {
      var label = links[chosen].querySelector(".spoilers-step__label").textContent;
      offer.textContent = "You chose " + label + " for this film earlier. ";
      var go = document.createElement("a");
      go.href = links[chosen].getAttribute("href");
      go.textContent = "Continue at " + label;
      var no = document.createElement("button");
      no.type = "button";
      no.textContent = "Forget my choice";
      no.addEventListener("click", function () { forget(film); offer.hidden = true; });
      offer.appendChild(go);
      offer.appendChild(no);
      offer.hidden = false;
    }
  }

  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
