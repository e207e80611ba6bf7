// Injected with add_init_script into every document of a context (tests and bench_reveal.py).
// Records in window.__spoilersSampler:
//   gate  - whether a .spoilers-gate was ever laid out with a non-zero size and displayed,
//           checked on every DOM change (before it could be painted) and on every frame;
//   text  - ms after navigation start (performance.now) of the first frame in which the element
//           named by sessionStorage "spoilers-sampler:text" (a CSS selector) was displayed.
// Material's instant navigation keeps the window, so one sampler covers its page swaps too.
// Frames are sampled until 8s after the last DOM change (a page that keeps producing frames
// costs the whole suite CPU); the MutationObserver watches for as long as the page lives.
(function () {
  "use strict";
  var state = { gate: false, gateAt: null, text: null, frames: 0 };
  window.__spoilersSampler = state;
  var selector = null;
  try { selector = sessionStorage.getItem("spoilers-sampler:text"); } catch (e) { /* none */ }

  function shown(el) {
    var r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    return typeof el.checkVisibility !== "function" ||
      el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  }
  function gateCheck() {
    if (state.gate) return;
    var gates = document.querySelectorAll(".spoilers-gate");
    for (var i = 0; i < gates.length; i++) {
      if (shown(gates[i])) { state.gate = true; state.gateAt = performance.now(); return; }
    }
  }
  var until = 8000, running = false;
  function frame(now) {
    state.frames++;
    gateCheck();
    if (selector && state.text === null) {
      var el = document.querySelector(selector);
      if (el && shown(el)) state.text = now;
    }
    running = now < until;
    if (running) requestAnimationFrame(frame);
  }
  function sample() {
    until = performance.now() + 8000;
    if (!running) { running = true; requestAnimationFrame(frame); }
  }
  new MutationObserver(function () { gateCheck(); sample(); }).observe(document, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["class", "hidden", "style"]
  });
  sample();
})();
