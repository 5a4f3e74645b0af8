"""axe-core on every page of the book, in the light and the dark palette.

axe-core comes from the ``axe-playwright-python`` package (pinned in pyproject's test
extra), which ships ``axe.min.js``: the test injects that file's text into each page
(``add_script_tag(content=...)``), so nothing is fetched from outside. The audit runs the
WCAG 2.0 and 2.1 level A and AA rules; a serious or critical violation on any page in
either palette fails, after a table of every page and palette with its counts per rule.

The palette is Material's own: each palette gets a fresh context whose
``prefers-color-scheme`` picks it (mkdocs.yml binds the light palette to "light" and the dark one to "dark"), and
the test checks that the page really shows it (``data-md-color-scheme``). Folded blocks
(the exercises' worked solutions) are opened before the audit, so their content counts.

axe sees a page as it loads. What only a reader's action shows is audited on one chapter in
both palettes: the cells after a Run (a shown block with the blocks above it, an error), and
every focus stop that Tab reaches from the top of the page, with its focus (and hover) colours.
"""

from __future__ import annotations

from importlib.resources import files
from urllib.parse import urljoin

import pytest

AXE_JS = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = {"serious", "critical"}
# color_scheme of the context -> Material's scheme name for that palette
PALETTES = {"light": "default", "dark": "slate"}

AUDIT_JS = """
async (tags) => {
  document.querySelectorAll("details:not([open])").forEach((d) => { d.open = true; });
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags }, resultTypes: ["violations"],
  });
  return {
    version: axe.version,
    scheme: document.body.getAttribute("data-md-color-scheme"),
    violations: results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      // each element, with the colours axe measured when that is the finding
      nodes: v.nodes.map((n) => {
        const d = (n.any[0] || n.all[0] || {}).data || {};
        return n.target.join(" ") + (d.fgColor ? ` (${d.fgColor} on ${d.bgColor}: ${d.contrastRatio})` : "");
      }),
    })),
  };
}
"""


def audit(page, url: str) -> dict:
    """axe's WCAG A/AA violations on ``url``, with axe's version and the page's palette."""
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.add_script_tag(content=AXE_JS)
    return page.evaluate(AUDIT_JS, WCAG_A_AA)


def table(results: dict[tuple[str, str], dict]) -> str:
    """One line per page and palette: serious/critical node counts per rule (others after)."""
    lines = []
    for (path, palette), result in results.items():
        bad = [f"{v['id']} ({v['impact']}): {len(v['nodes'])}" for v in result["violations"]
               if v["impact"] in FAILING]
        minor = [f"{v['id']} ({v['impact']}): {len(v['nodes'])}" for v in result["violations"]
                 if v["impact"] not in FAILING]
        lines.append(f"{path or 'home'} [{palette}]: " + ("; ".join(bad) or "none serious")
                     + (f"  (also {'; '.join(minor)})" if minor else ""))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe_results(guarded_context, site_url, site_pages, page_reports) -> dict[tuple[str, str], dict]:
    """(page path, palette) -> axe's report, every page in both palettes.

    (page_reports first: the per-page pass runs on a quiet machine, before this one.)"""
    results, outside = {}, []
    for palette in PALETTES:
        # a fresh context (no palette stored by another test) that prefers this palette
        ctx = guarded_context(outside, color_scheme=palette)
        page = ctx.new_page()
        try:
            for path in site_pages:
                results[(path, palette)] = audit(page, urljoin(site_url, path))
        finally:
            ctx.close()
    assert not outside, f"requests to other hosts during the audit: {outside}"
    return results


def test_axe_is_version_4_and_ran_on_every_page(axe_results, site_pages):
    assert {r["version"].split(".")[0] for r in axe_results.values()} == {"4"}
    assert len(axe_results) == 2 * len(site_pages)


def test_each_palette_is_the_one_asked_for(axe_results):
    wrong = {key: r["scheme"] for key, r in axe_results.items() if r["scheme"] != PALETTES[key[1]]}
    assert not wrong, f"pages showing another palette than asked: {wrong}"


def test_no_serious_or_critical_wcag_violation(axe_results):
    report = table(axe_results)
    print("\naxe-core WCAG 2.0/2.1 A+AA violations (nodes per rule):\n" + report)
    failing = {
        key: [v for v in r["violations"] if v["impact"] in FAILING] for key, r in axe_results.items()
    }
    failing = {key: found for key, found in failing.items() if found}
    details = []
    for (path, palette), found in failing.items():
        for v in found:
            details.append(f"{path or 'home'} [{palette}] {v['id']}: {v['help']}: "
                           + ", ".join(v["nodes"][:3]) + (" ..." if len(v["nodes"]) > 3 else ""))
    assert not failing, (
        f"serious or critical WCAG violations on {len(failing)} of {len(axe_results)} page views:\n"
        + report + "\n\nfirst elements per rule:\n" + "\n".join(details[:60])
    )


# ---------------------------------------------------------------- after a reader's actions

CHAPTER = "chapters/04-output-layer/"  # exercises and shown blocks, tables, a fold, formulas
RUN_TIMEOUT_MS = 120_000
DONE = "(el) => !!el.dataset.state && el.dataset.state !== 'running'"
# axe's colour-contrast rule on the page, or (focused = true) on the focused element alone
CONTRAST_JS = """async (focused) => {
  const results = await axe.run(focused ? document.activeElement : document, { runOnly: { type: "rule", values: ["color-contrast"] } });
  return results.violations.flatMap((v) => v.nodes.map((n) => {
    const d = (n.any[0] || {}).data || {};
    return `${n.target.join(" ")} (${d.fgColor} on ${d.bgColor}: ${d.contrastRatio})`;
  }));
}"""
# Tab from the top: mark each stop, end at the first one seen again (or at the page's end).
# A stop is named by what styles it: its tag and classes, the parts of the page around it and
# whether it holds code; axe audits the first stop of each name (a walk of 140 stops of one
# chapter has about 30 names; auditing every stop takes minutes on a busy machine).
NEXT_STOP_JS = """() => { const e = document.activeElement;
  if (e === document.body || e.dataset.focusStop) return null;
  e.dataset.focusStop = "seen";
  const parts = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
    ".md-typeset", ".book-cell", ".highlight", "table", ".admonition", "details", ".tabbed-set"];
  const around = parts.filter((p) => e.parentElement && e.parentElement.closest(p)).join(" ");
  return `${e.tagName.toLowerCase()}.${[...e.classList].filter((c) => c !== "focus-visible").join(".")}` +
    ` in ${around || "page"}${e.querySelector("code") ? " with code" : ""}`; }"""


def run_cell(page, cell) -> None:
    cell.locator(".book-cell__run").click()
    page.wait_for_function(DONE, arg=cell.element_handle(), timeout=RUN_TIMEOUT_MS)


@pytest.mark.parametrize("palette", PALETTES)
def test_cells_after_a_run_and_every_focus_stop_keep_their_contrast(guarded_context, site_url, palette):
    """On a chapter in ``palette``: the cells' output after a Run (the blocks above, the
    cell's own output, an error) and each element that Tab reaches, while it has the focus
    (Material gives focus and hover the same colours), pass axe's colour-contrast rule."""
    outside: list = []
    ctx = guarded_context(outside, color_scheme=palette)
    try:
        page = ctx.new_page()
        page.goto(urljoin(site_url, CHAPTER), wait_until="load")
        page.add_script_tag(content=AXE_JS)
        # the colours a focus ends on, not the middle of Material's 125 ms transitions
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        cells = page.evaluate("() => JSON.parse(document.getElementById('book-cells').textContent).cells")
        shown = [c for c in cells if c["kind"] == "shown" and not c["needs"]][2]["id"]
        page.locator(f'div.highlight[data-cell="{shown}"] .book-cell-open__button').click()
        run_cell(page, page.locator(f'.book-cell[data-cell="{shown}"]'))
        exercise = page.locator('.book-cell[data-kind="exercise"]').first
        exercise.locator("textarea").fill("print('a line')\nraise ValueError('x has shape (2,)')\n")
        run_cell(page, exercise)
        kinds = page.evaluate("() => [...new Set([...document.querySelectorAll('.book-cell__output > span')]"
                              ".map((s) => s.className || 'out'))]")
        after_run = page.evaluate(CONTRAST_JS, False)

        # from the page's start: focus a first element, then let Tab walk the page
        page.evaluate("() => { const s = document.createElement('span'); s.tabIndex = -1;"
                      " document.body.prepend(s); s.focus(); s.remove(); }")
        stops, names, failing = 0, set(), []
        for _ in range(1500):
            page.keyboard.press("Tab")
            name = page.evaluate(NEXT_STOP_JS)
            if name is None:
                break
            stops += 1
            if name not in names:
                names.add(name)
                failing += [f"{name}: {found}" for found in page.evaluate(CONTRAST_JS, True)]
    finally:
        ctx.close()
    assert outside == [], f"requests to other hosts: {outside}"
    assert {"book-cell__step book-cell__above", "book-cell__above", "out", "book-cell__err"} <= set(kinds), kinds
    assert after_run == [], f"{palette}: cells after a Run, under 4.5:1: {after_run}"
    assert stops > 50, f"Tab reached only {stops} elements"
    assert failing == [], (f"{palette}: {len(failing)} elements under 4.5:1 while focused, in "
                           f"{len(names)} kinds of the {stops} focus stops:\n" + "\n".join(failing[:40]))
