"""With JavaScript disabled, every page still shows every formula.

docs/hooks/katex.py typesets the formulas at build, so a reader with JavaScript off (or a
reader whose scripts failed) sees the same math: every ``.arithmatex`` holds a ``.katex``
tree that the browser lays out with a real size from KaTeX's stylesheet and fonts alone,
and no TeX source shows anywhere outside code. Folded blocks (the worked solutions) are
opened first, as a reader would open them (a ``<details>`` opens without JavaScript).
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

# Playwright's evaluate() runs in its own world and works with the page's scripts off.
FORMULAS_JS = r"""
() => {
  document.querySelectorAll("details:not([open])").forEach((d) => { d.open = true; });
  const short = (s) => { s = s.replace(/\s+/g, " ").trim(); return s.length > 80 ? s.slice(0, 80) + "..." : s; };
  const tex = (el) => { const a = el.querySelector("annotation"); return short(a ? a.textContent : el.textContent); };
  const math = [...document.querySelectorAll(".arithmatex")];
  const empty = [];
  let katex = 0;
  for (const el of math) {
    const k = el.querySelector(".katex");
    if (!k) { empty.push("no .katex: " + short(el.textContent)); continue; }
    katex += 1;
    const html = k.querySelector(".katex-html");
    const box = (html || k).getBoundingClientRect();
    if (!k.querySelector("math")) empty.push("no MathML: " + tex(k));
    if (!html || box.width <= 0 || box.height <= 0)
      empty.push(`${box.width.toFixed(0)}x${box.height.toFixed(0)} px: ${tex(k)}`);
  }
  // KaTeX's stylesheet hides the MathML copy (it is for screen readers): its text must not show
  const mathml = document.querySelector(".katex-mathml");
  const clipped = mathml ? mathml.getBoundingClientRect().width <= 1 : true;
  const RAW = ["\\(", "\\[", "$$", "\\frac", "\\partial", "\\sum", "\\tag", "\\begin{"];
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("pre, code, script, style, noscript, .katex-mathml")) continue;
    if (!parent.checkVisibility()) continue;
    const hits = RAW.filter((r) => node.data.includes(r));
    if (hits.length) raw.push(hits.join(" ") + " in: " + short(node.data));
  }
  return { formulas: math.length, katex, empty, raw, clipped,
           scripts: document.querySelectorAll("script[src]").length };
}
"""


@pytest.fixture(scope="module")
def without_js(guarded_context, site_url, site_pages, page_reports):
    """Every page's formula facts, visited in a context with JavaScript disabled."""
    outside: list = []
    ctx = guarded_context(outside, java_script_enabled=False)
    page = ctx.new_page()
    facts = {}
    try:
        for path in site_pages:
            page.goto(urljoin(site_url, path), wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            facts[path] = page.evaluate(FORMULAS_JS)
        # proof that the page's own scripts are off: Material's would have set this
        facts["__js__"] = page.evaluate("typeof window.document$")
    finally:
        ctx.close()
    assert not outside, f"requests to other hosts: {outside}"
    return facts


def test_page_scripts_are_really_off(without_js):
    assert without_js["__js__"] == "undefined", "Material's scripts ran: JavaScript is not disabled"


def test_every_formula_shows_with_javascript_off(without_js, page_reports):
    pages = {p: f for p, f in without_js.items() if p != "__js__"}
    total = sum(f["formulas"] for f in pages.values())
    # the same formulas the per-page pass (JavaScript on) counted
    assert total == sum(r.formulas for r in page_reports.values()) > 0
    bad = {p or "home": f["empty"][:8] for p, f in pages.items() if f["empty"] or f["katex"] != f["formulas"]}
    assert not bad, f"formulas not shown (of {total}) with JavaScript off:\n" + "\n".join(
        f"{p}: {items}" for p, items in bad.items())
    assert all(f["clipped"] for f in pages.values()), "KaTeX's MathML copy is visible on the page"


def test_no_raw_tex_with_javascript_off(without_js):
    raw = {p or "home": f["raw"][:8] for p, f in without_js.items() if p != "__js__" and f["raw"]}
    assert not raw, "TeX source visible with JavaScript off:\n" + "\n".join(f"{p}: {r}" for p, r in raw.items())
