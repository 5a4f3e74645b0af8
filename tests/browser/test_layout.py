"""The layout a reader sees, measured in Chromium on every page of the built book.

Every page is loaded in four browser contexts: the light and the dark palette (Material
follows ``prefers-color-scheme``), each at 1280x900 and at a 390x844 phone. One
``evaluate`` per page and context measures, with every folded solution opened:

- code and output blocks that scroll sideways (``scrollWidth > clientWidth``), at 1280 px;
- tables wider than the box that holds them (Material's scroll wrapper, or a grid cell);
- equation tags whose box intersects the formula they number, at 390 px;
- copy buttons that cover a character of their code block;
- headings numbered like equations (``## 6.1 ...`` beside Equation (6.1));
- figure text drawn smaller than 9 px, at 1280 px and on the phone (where a figure keeps
  its readable width and scrolls in its frame, docs/hooks/figures.py), and figures shown
  as ``<img>`` (an image cannot follow the palette: its ink stays black on the dark page);
- a page wider than the window (the window itself would scroll sideways);
- literal reStructuredText double backticks on the API pages.

Each test prints its counts per context and fails on any defect, on any page.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SIZES = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")
MIN_FIGURE_TEXT_PX = 9.0

MEASURE_JS = r"""
async () => {
  document.querySelectorAll("details:not([open])").forEach((d) => { d.open = true; });
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const article = document.querySelector("article.md-content__inner") || document.body;
  const visible = (el) => el.checkVisibility() && el.getBoundingClientRect().width > 0;
  const short = (s) => { s = (s || "").replace(/\s+/g, " ").trim();
                         return s.length > 70 ? s.slice(0, 70) + "..." : s; };
  const meets = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
                          a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const where = (el) => {
    let h = el, head = null;
    while (h && !head) {
      for (let p = h.previousElementSibling; p && !head; p = p.previousElementSibling)
        if (/^H[1-6]$/.test(p.tagName)) head = p;
      h = h.parentElement;
      if (h === article) break;
    }
    return head ? "[" + short(head.textContent.replace(/¶$/, "")) + "] " : "";
  };

  // Code and output blocks: Material scrolls <pre><code>; a bare <pre> may scroll itself.
  const scrolling = [];
  let blocks = 0;
  for (const pre of article.querySelectorAll("pre")) {
    if (!visible(pre)) continue;
    blocks += 1;
    const boxes = [pre, ...pre.querySelectorAll(":scope > code")];
    const over = boxes.find((b) => b.scrollWidth > b.clientWidth + 1);
    if (over) {
      const lines = pre.textContent.split("\n");
      const longest = Math.max(...lines.map((l) => l.length));
      scrolling.push(where(pre) + `${over.scrollWidth}px in ${over.clientWidth}px, ` +
                     `longest line ${longest} chars: ` +
                     short(lines.find((l) => l.length === longest)));
    }
  }

  // Tables: wider than Material's scroll wrapper, or than the column/grid cell around them.
  const tables = [], clipped = [];
  const content = article.getBoundingClientRect();
  for (const table of article.querySelectorAll("table")) {
    if (!visible(table) || table.closest(".katex, .highlighttable, .md-typeset__scrollwrap table table")) continue;
    const box = table.getBoundingClientRect();
    const wrap = table.closest(".md-typeset__scrollwrap");
    const cell = table.parentElement.closest(".grid > *, .md-typeset__table, td, .admonition, details");
    const frame = (wrap || cell || article).getBoundingClientRect();
    const wider = (wrap && wrap.scrollWidth > wrap.clientWidth + 1) ||
                  box.right > Math.min(frame.right, content.right) + 1 || box.left < frame.left - 1;
    if (!wider) continue;
    const head = [...table.querySelectorAll("th")].map((th) => th.textContent.trim()).join(" | ");
    const what = where(table) + `table ${Math.round(box.width)}px in ${Math.round(frame.width)}px: ` + short(head);
    tables.push(what);
    // Clipped: no box between the table and the article lets the reader scroll to the
    // rest (Material's wrapper does, and on a phone it reaches the screen's edges).
    let scrolls = false;
    for (let e = table.parentElement; e && e !== article && !scrolls; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      const r = e.getBoundingClientRect();
      scrolls = (o === "auto" || o === "scroll") && e.scrollWidth > e.clientWidth + 1 &&
                r.left >= -1 && r.right <= window.innerWidth + 1;
    }
    if (!scrolls) clipped.push(what);
  }

  // Equation tags: the tag's box against every box of the formula it numbers.
  const tags = [];
  let tagged = 0;
  for (const display of article.querySelectorAll(".katex-display")) {
    // KaTeX names them .tag and .base (.katex-tag and .katex-base in the vendored build)
    const tag = display.querySelector(".katex-tag, .tag");
    if (!tag || !visible(display)) continue;
    tagged += 1;
    const t = tag.getBoundingClientRect();
    const html = tag.parentElement;
    const hit = [...html.children].filter((c) => c !== tag && c.matches(".katex-base, .base"))
      .some((base) => [...base.getClientRects()].some((r) => meets(r, t)));
    if (hit) tags.push(where(display) + "tag " + short(tag.textContent) + " overlaps its formula");
  }

  // Display formulas that do not fit: scrolling is allowed (as a whole, tag included),
  // but count them so a cut-off formula on an API page shows up.
  const wideFormulas = [...article.querySelectorAll(".katex-display")]
    .filter((d) => visible(d) && d.scrollWidth > d.clientWidth + 1)
    .map((d) => where(d) + `${d.scrollWidth}px in ${d.clientWidth}px: ` +
         short((d.querySelector("annotation") || {}).textContent));

  // Copy buttons against the characters of their block.
  const covered = [];
  const COPY = ':scope > .md-clipboard, :scope > nav.md-code__nav > [data-md-type="copy"]';
  for (const pre of article.querySelectorAll("pre")) {
    const button = pre.querySelector(COPY);
    const code = pre.querySelector(":scope > code");
    if (!button || !code || !visible(pre)) continue;
    const b = button.getBoundingClientRect();
    if (b.width === 0) continue;
    const view = code.getBoundingClientRect();
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    let hit = null;
    for (let node = walker.nextNode(); node && !hit; node = walker.nextNode()) {
      const text = node.data;
      for (let i = 0; i < text.length && !hit; i++) {
        if (/\s/.test(text[i])) continue;
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const r = range.getBoundingClientRect();
        if (r.top > b.bottom) break;  // below the button: later characters are lower still
        // a character scrolled out of the code box is not shown, so not covered
        if (r.right <= view.left || r.left >= view.right) continue;
        if (meets(r, b)) hit = text.slice(Math.max(0, i - 20), i + 20);
      }
    }
    if (hit) covered.push(where(pre) + "copy button covers: " + short(hit));
  }

  // Headings numbered like equations: "6.1 The delta recursion".
  const numbered = [...article.querySelectorAll("h2, h3")]
    .map((h) => h.textContent.replace(/¶$/, "").trim())
    .filter((s) => /^\d+\.\d+\b/.test(s));

  // Figures: inline SVG text at a readable size; no figure as <img> (its ink cannot follow
  // the palette).
  const smallText = [];
  const images = [];
  for (const svg of article.querySelectorAll("svg.bp-figure, figure svg")) {
    if (!visible(svg)) continue;
    let smallest = Infinity, sample = "";
    for (const text of svg.querySelectorAll("text")) {
      const size = parseFloat(getComputedStyle(text).fontSize);
      const ctm = text.getScreenCTM();
      if (!ctm || !size) continue;
      const px = size * Math.hypot(ctm.a, ctm.b);
      if (px < smallest) { smallest = px; sample = text.textContent; }
    }
    if (smallest < %(MIN_TEXT)s)
      smallText.push(where(svg) + `text drawn at ${smallest.toFixed(1)} px: ` + short(sample));
  }
  for (const img of article.querySelectorAll("img")) {
    if (!visible(img) || img.closest(".md-header, .md-footer")) continue;
    images.push(where(img) + "figure as <img>: " + (img.getAttribute("src") || ""));
  }

  // Literal reStructuredText double backticks, in visible text outside code.
  const backticks = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const p = node.parentElement;
    if (!p || p.closest("pre, .katex") || !p.checkVisibility()) continue;
    if (node.data.includes("``") || (p.closest("code") && /^`|`$/.test(node.data)))
      backticks.push(where(p) + short(node.data));
  }

  // The page itself: only boxes inside it may scroll sideways, never the window.
  const root = document.documentElement;
  const pageScroll = root.scrollWidth > window.innerWidth + 1
    ? [`page ${root.scrollWidth}px wide in a ${window.innerWidth}px window`] : [];

  return { blocks, scrolling, tables, clipped, tagged, tags, wideFormulas, covered, numbered,
           smallText, images, backticks, pageScroll };
}
""".replace("%(MIN_TEXT)s", str(MIN_FIGURE_TEXT_PX))

MEASURES = ("scrolling", "tables", "clipped", "tags", "wideFormulas", "covered", "numbered",
            "smallText", "images", "backticks", "pageScroll")


@pytest.fixture(scope="session")
def layout(guarded_context, site_url, site_pages, outside_requests) -> dict:
    """``layout[(scheme, size)][page]``: the measures of every page in each of the four contexts."""
    found: dict = {}
    for scheme in SCHEMES:
        for size, viewport in SIZES.items():
            ctx = guarded_context(
                outside_requests, viewport=viewport, color_scheme=scheme, service_workers="block"
            )
            tab = ctx.new_page()
            pages = found[(scheme, size)] = {}
            try:
                for path in site_pages:
                    guarded_context.load(tab, urljoin(site_url, path))
                    pages[path.rstrip("/") or "home"] = tab.evaluate(MEASURE_JS)
            finally:
                ctx.close()
    _print_counts(found)
    return found


def _print_counts(found: dict) -> None:
    """Print the defects counted in each context, and keep them in test-artifacts/."""
    lines = ["layout counts per context (defects over every page):"]
    for (scheme, size), pages in found.items():
        counts = ", ".join(f"{m}={sum(len(p[m]) for p in pages.values())}" for m in MEASURES)
        blocks = sum(p["blocks"] for p in pages.values())
        tagged = sum(p["tagged"] for p in pages.values())
        lines.append(f"  {scheme:5} {size:>4}px: {blocks} blocks, {tagged} tagged displays; {counts}")
    print("\n" + "\n".join(lines))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "layout-counts.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _judge(found: dict, measure: str, contexts, what: str, pages=None) -> None:
    """Fail on ``measure`` in any of ``contexts`` (on the pages ``pages`` accepts, or all),
    naming each page and its first defects."""
    defects = {}
    for context in contexts:
        for page, facts in found[context].items():
            if pages is not None and not pages(page):
                continue
            for item in facts[measure]:
                defects.setdefault(page, []).append(f"{'/'.join(context)}: {item}")
    total = sum(len(v) for v in defects.values())
    print(f"{what}: {total} in {len(defects)} pages over {len(contexts)} contexts")
    lines = []
    for page, items in defects.items():
        lines.append(f"{page}: {len(items)}")
        lines += [f"    {item}" for item in items[:8]]
        lines += [f"    ... and {len(items) - 8} more"] if len(items) > 8 else []
    assert not defects, f"{what}:\n" + "\n".join(lines)


ALL = [(s, z) for s in SCHEMES for z in SIZES]
WIDE = [(s, "1280") for s in SCHEMES]
PHONE = [(s, "390") for s in SCHEMES]


def test_the_layout_was_measured_on_every_page(layout, site_pages):
    for context, pages in layout.items():
        assert len(pages) == len(site_pages), f"{context}: {len(pages)} of {len(site_pages)} pages"
    blocks = sum(p["blocks"] for p in layout[("light", "1280")].values())
    assert blocks > 100, f"only {blocks} code blocks found: is the selector still right?"


def test_no_code_block_scrolls_sideways_at_1280(layout):
    _judge(layout, "scrolling", WIDE, "code or output blocks that scroll sideways at 1280 px")


def test_tables_fit_their_boxes_at_1280(layout):
    _judge(layout, "tables", WIDE, "tables wider than their box at 1280 px")


def test_no_table_is_cut_off(layout):
    # on a phone a wide table may scroll inside Material's wrapper; it must never be cut off
    _judge(layout, "clipped", ALL, "tables cut off (wider than a box that does not scroll)")


def test_no_equation_tag_overlaps_its_formula_on_a_phone(layout):
    tagged = sum(p["tagged"] for p in layout[("light", "390")].values())
    assert tagged > 20, f"only {tagged} tagged displays found: is KaTeX's .tag still there?"
    _judge(layout, "tags", PHONE, "equation tags overlapping their formula at 390 px")


def test_no_equation_tag_overlaps_its_formula_at_1280(layout):
    _judge(layout, "tags", WIDE, "equation tags overlapping their formula at 1280 px")


def test_no_formula_wider_than_the_column_at_1280(layout):
    _judge(layout, "wideFormulas", WIDE, "display formulas wider than the column at 1280 px")


def test_copy_buttons_cover_no_text(layout):
    _judge(layout, "covered", ALL, "copy buttons covering text")


def test_sections_are_not_numbered_like_equations(layout):
    _judge(layout, "numbered", [("light", "1280")], "headings numbered like equations")


def test_figure_text_is_readable(layout):
    _judge(layout, "smallText", ALL, f"figures with text under {MIN_FIGURE_TEXT_PX} px")


def test_no_page_is_wider_than_the_window(layout):
    _judge(layout, "pageScroll", ALL, "pages that make the window scroll sideways")


def test_figures_follow_the_palette(layout):
    _judge(layout, "images", [("dark", "1280")], "figures drawn as <img>, blind to the palette")


def test_api_pages_show_no_restructuredtext_backticks(layout):
    # numpydoc type fields (``t : array, same shape as y``) are shown verbatim in <code>:
    # a backtick written there reaches the reader as a backtick
    _judge(layout, "backticks", [("light", "1280")], "literal double backticks",
           pages=lambda page: page.startswith("reference"))
