// Typeset the formulas that pymdownx.arithmatex (generic mode) leaves in the page:
// inline math as \( ... \) inside span.arithmatex, display math as \[ ... \] inside
// div.arithmatex. Material's document$ emits on the first load and after every
// instant-navigation page switch, so formulas render on every page, not just the first.
// throwOnError: false keeps a bad formula visible as a red .katex-error span (which the
// browser tests count) instead of stopping the rest of the page from rendering.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
    strict: "ignore",
  });
});
