"""Every page of the built book, as Chromium shows it: one visit per page (conftest.py),
one test per kind of defect, each failure naming the pages it was found on."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _failures(reports: dict, attribute: str) -> dict[str, list]:
    return {r.name: getattr(r, attribute) for r in reports.values() if getattr(r, attribute)}


def _explain(found: dict[str, list]) -> str:
    lines = []
    for page, items in found.items():
        lines.append(f"{page}:")
        lines += [f"    {item}" for item in items[:10]]
        if len(items) > 10:
            lines.append(f"    ... and {len(items) - 10} more")
    return "\n".join(lines)


def test_every_page_of_the_book_was_visited(page_reports):
    expected = {""}
    expected |= {f"chapters/{md.stem}/" for md in (DOCS / "chapters").glob("[0-9][0-9]-*.md")}
    expected |= {
        "reference/" if md.stem == "index" else f"reference/{md.stem}/"
        for md in (DOCS / "reference").glob("*.md")
    }
    missing = sorted(expected - set(page_reports))
    assert not missing, f"pages the docs define but the built site lacks: {missing}"
    broken = {r.name: r.visit_error for r in page_reports.values() if r.visit_error}
    assert not broken, f"pages Chromium could not visit: {broken}"


def test_nothing_fetched_from_outside(page_reports, outside_requests):
    # page_reports is requested so every page has been visited before this is checked.
    assert not outside_requests, "requests to hosts other than 127.0.0.1 (blocked):\n" + "\n".join(
        f"    {url}  (from {origin})" for url, origin in outside_requests
    )


def test_no_console_errors(page_reports):
    found = _failures(page_reports, "console_errors")
    assert not found, "console errors or uncaught exceptions:\n" + _explain(found)


def test_no_failed_requests(page_reports):
    found = _failures(page_reports, "failed_requests")
    assert not found, "failed requests (network failure or HTTP status >= 400):\n" + _explain(found)


def test_every_formula_typeset_by_katex(page_reports):
    sources = sum(r.formulas for r in page_reports.values())
    assert sources > 0, "no formula (.arithmatex) on any page: is arithmatex configured?"
    found = {
        f"{r.name} ({r.typeset} of {r.formulas} typeset)": r.untypeset
        for r in page_reports.values()
        if r.typeset != r.formulas
    }
    assert not found, "formulas KaTeX did not typeset:\n" + _explain(found)


def test_no_katex_errors(page_reports):
    found = _failures(page_reports, "katex_errors")
    assert not found, "KaTeX parse errors (.katex-error):\n" + _explain(found)


def test_no_raw_tex_in_visible_text(page_reports):
    found = _failures(page_reports, "raw_tex")
    assert not found, "raw TeX left in the visible text (outside code):\n" + _explain(found)


def test_no_traceback_on_any_page(page_reports):
    found = _failures(page_reports, "tracebacks")
    assert not found, "traceback text on the page:\n" + _explain(found)


def test_executed_output_beside_every_block(page_reports):
    with_blocks = [r for r in page_reports.values() if r.exec_blocks]
    found = _failures(page_reports, "missing_output")
    assert not found, "executed blocks without output on the page:\n" + _explain(found)
    silent = [r.name for r in with_blocks if r.outputs == 0 and r.exec_blocks]
    assert not silent, f"pages whose executed blocks show no output at all: {silent}"


def test_images_loaded_with_a_size(page_reports):
    found = {
        r.name: [i["src"] for i in r.images if not (i["complete"] and i["naturalWidth"] > 0)]
        for r in page_reports.values()
    }
    found = {page: images for page, images in found.items() if images}
    assert not found, "images that did not load (naturalWidth 0):\n" + _explain(found)


def test_figures_rendered_with_a_size(page_reports):
    found = {}
    for r in page_reports.values():
        bad = [
            f"{f['label']}: {f['width']:.0f}x{f['height']:.0f} px, {f['shapes']} shapes"
            for f in r.figures
            if not f["hidden"] and (f["width"] <= 0 or f["height"] <= 0 or f["shapes"] == 0)
        ]
        if bad:
            found[r.name] = bad
    assert not found, "SVG figures that render empty or with no size:\n" + _explain(found)


def test_copy_button_on_every_code_block(page_reports):
    assert sum(r.code_blocks for r in page_reports.values()) > 0, "no code block on any page"
    found = {
        r.name: [f"{r.copy_buttons} copy buttons for {r.code_blocks} code blocks"]
        for r in page_reports.values()
        if r.copy_buttons != r.code_blocks
    }
    assert not found, "code blocks without Material's copy button (.md-clipboard):\n" + _explain(found)


def test_footer_links_walk_the_book_in_order(page_reports, site_url):
    """Following "next" from the home page visits every chapter in order, and each page's
    "previous" leads back to the page it came from."""
    order, at, seen = [], "", set()
    while at is not None and at not in seen:
        seen.add(at)
        order.append(at)
        report = page_reports.get(at)
        assert report is not None, f"a footer link leads to {at!r}, which is not a page of the site"
        at = report.next[len(site_url):] if report.next else None
        if at is not None:
            back = page_reports.get(at)
            assert back is not None and back.prev == site_url + report.path, (
                f"{back.name if back else at}: 'previous' is {back.prev if back else None}, "
                f"expected {site_url + report.path}"
            )
    chapters = sorted(f"chapters/{md.stem}/" for md in (DOCS / "chapters").glob("[0-9][0-9]-*.md"))
    walked = [p for p in order if p.startswith("chapters/")]
    assert walked == chapters, f"the chapters in footer order: {walked}, expected {chapters}"


def test_a_screenshot_of_every_chapter(page_reports, screenshot_dir):
    chapters = [r for r in page_reports.values() if r.path.startswith("chapters/")]
    assert chapters, "no chapter pages in the site"
    for r in chapters:
        shot = screenshot_dir / (r.path.strip("/").split("/")[-1] + ".png")
        assert shot.is_file(), f"{r.name}: no screenshot at {shot}"
        header = shot.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{shot} is not a PNG"
        height = int.from_bytes(header[20:24], "big")
        assert height > 0, f"{shot} is empty"

