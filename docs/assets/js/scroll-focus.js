// A box that scrolls sideways (a wide table, a long display formula, a figure on a phone) must be reachable by
// keyboard, or a reader without a mouse cannot see its right-hand side (WCAG 2.1.1; axe's
// scrollable-region-focusable). Only boxes that really overflow get a tab stop, checked again
// when the window is resized. Material's document$ emits once the page (and its table
// wrappers) is ready.
(() => {
  const SCROLLERS = ".md-typeset__scrollwrap, .md-typeset .katex-display, .md-typeset .bp-figure-frame";
  const mark = () => {
    for (const el of document.querySelectorAll(SCROLLERS)) {
      if (el.scrollWidth > el.clientWidth + 1) el.setAttribute("tabindex", "0");
      else if (el.getAttribute("tabindex") === "0") el.removeAttribute("tabindex");
    }
  };
  document$.subscribe(mark);
  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(mark);
  });
})();
