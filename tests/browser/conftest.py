"""Real-browser checks of the built book: what a reader sees, offline.

One Chromium (Debian's, through ``executable_path``; never ``playwright install``), one
browser context, every page of the freshly built site visited once. The visit collects
everything the tests in this folder assert on (console errors, failed requests, formulas,
executed output, figures, footer links) into a ``PageReport``, and writes a full-page
screenshot of every chapter to ``test-artifacts/screenshots/``.

The site is served on 127.0.0.1 by a threaded ``http.server``; every request to any other
host is aborted and recorded, and ``test_nothing_fetched_from_outside`` fails on any.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from book import parse
from book.pdf import chromium, serve

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
HOST = "127.0.0.1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Every URL that does not point at the local server: what the context's route blocks.
OUTSIDE = re.compile(r"^(?!https?://127\.0\.0\.1[:/])")
VIEWPORT = {"width": 1280, "height": 900}
# The build typesets every formula (docs/hooks/katex.py), so a page arrives typeset; a page
# that does not gets this long before the counts below name what stayed untypeset.
TYPESET_TIMEOUT_MS = 10_000

# Filled while the session runs, read by pytest_terminal_summary.
_SUMMARY: dict = {
    "screenshots": [], "pages": 0, "sources": 0, "typeset": 0, "started": None, "finished": None,
}


def _missing(reason: str):
    """Skip with ``reason``; under CI=true a missing browser is a failure, not a skip."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    """Debian's Chromium: on PATH, or at /usr/bin/chromium."""
    return chromium()


# ---------------------------------------------------------------- serving the site


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The freshly built site, served on 127.0.0.1 on a free port (as ``make pdf`` serves it)."""
    with serve(built_site) as url:
        yield url


def discover_pages(site: Path) -> list[str]:
    """Every page of the built site: each index.html except the 404 page, as a URL path."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel.startswith("404"):
            continue
        paths.append("" if rel == "." else rel + "/")
    return paths


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser(request):
    """One headless Debian Chromium for the whole session.

    Looks for the browser first (a machine without one skips at once, or fails under
    CI=true), then waits for the site build, then launches: the time reported at the end
    is the browser checks' own, not the build's."""
    executable = find_chromium()
    if executable is None:
        _missing(
            "no Chromium found (neither `chromium` on PATH nor /usr/bin/chromium); "
            "install Debian's package: apt-get install -y chromium"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _missing(f"the playwright Python package is not installed ({error}); pip install -e '.[test]'")
    request.getfixturevalue("built_site")
    _SUMMARY["started"] = time.perf_counter()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def outside_requests() -> list[tuple[str, str]]:
    """(requested URL, page it came from) for every request to a host other than 127.0.0.1."""
    return []


def block_outside(ctx, record: list) -> None:
    """Abort every request of ``ctx`` to a host other than 127.0.0.1 and append it to ``record``."""

    def guard(route):
        request = route.request
        if urlsplit(request.url).hostname != HOST:
            try:
                origin = request.frame.url
            except Exception:  # a worker's request has no frame
                origin = "a worker"
            record.append((request.url, origin))
            route.abort("blockedbyclient")
        else:
            route.continue_()

    # Matched inside the browser, so requests to 127.0.0.1 never wait on Python; the guard
    # still checks the host itself (a pattern that matched too much would only continue).
    ctx.route(OUTSIDE, guard)


@pytest.fixture(scope="session")
def guarded_context(browser):
    """``guarded_context(record, **options)``: a new context guarded like the session's
    (for the guard's own test, and for the layout checks' palettes and sizes);
    ``options`` go to ``browser.new_context`` (``viewport`` defaults to 1280x900).
    ``guarded_context.load(page, url)`` opens a page and waits for its formulas."""

    def make(record: list, **options):
        ctx = browser.new_context(**{"viewport": VIEWPORT, **options})
        block_outside(ctx, record)
        return ctx

    make.load = load
    return make


@pytest.fixture(scope="session")
def context(browser, outside_requests):
    """The one browser context: every request to another host is aborted and recorded."""
    ctx = browser.new_context(viewport=VIEWPORT, service_workers="block")
    block_outside(ctx, outside_requests)
    try:
        yield ctx
    finally:
        ctx.close()


# ---------------------------------------------------------------- one visit per page


@dataclass
class ExecBlock:
    """A markdown-exec block as written in a page's Markdown (after snippet includes)."""

    id: str
    code: str
    source: str  # where the source is shown: "", "above", "below", "tabbed-left", ...
    result: str  # language of the result code block, "" if none
    html: bool


@dataclass
class PageReport:
    path: str  # URL path relative to the site root, "" for the home page
    title: str = ""
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    formulas: int = 0  # formula sources: arithmatex elements
    typeset: int = 0  # of those, fully typeset by KaTeX
    untypeset: list[str] = field(default_factory=list)
    katex_errors: list[str] = field(default_factory=list)
    raw_tex: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)
    exec_blocks: list[ExecBlock] = field(default_factory=list)
    missing_output: list[str] = field(default_factory=list)
    outputs: int = 0  # executed outputs found beside their shown sources
    images: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    code_blocks: int = 0
    copy_buttons: int = 0
    prev: str | None = None
    next: str | None = None
    screenshot: Path | None = None
    visit_error: str = ""
    seconds: float = 0.0  # how long the visit took

    @property
    def name(self) -> str:
        return self.path.rstrip("/") or "home"


def page_source(path: str) -> Path | None:
    """The Markdown file a page was built from (use_directory_urls layout)."""
    stem = path.rstrip("/")
    candidates = [DOCS / "index.md"] if not stem else [DOCS / f"{stem}.md", DOCS / stem / "index.md"]
    candidates += [DOCS / f"{stem}/README.md"] if stem else []
    return next((c for c in candidates if c.is_file()), None)


def exec_blocks(markdown: str) -> list[ExecBlock]:
    """The markdown-exec blocks (``exec="on"``) of a page, in order."""
    blocks = []
    for n, attrs in enumerate(parse.exec_blocks(markdown), 1):
        source = attrs.get("source", "")
        blocks.append(
            ExecBlock(
                id=attrs.get("id", f"block {n}"),
                code=attrs["code"],
                source=source if attrs["shown"] else "",
                result=attrs.get("result", ""),
                html=attrs.get("html", "").lower() in parse.ON,
            )
        )
    return blocks


# Everything a test asserts on, gathered in one evaluate() per page.
COLLECT_JS = r"""
async (blocks) => {
  // Open every folded block (the exercises' solutions) so that its formulas, output and
  // figures are checked as a reader who unfolds it sees them.
  document.querySelectorAll("details:not([open])").forEach((d) => { d.open = true; });
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const article = document.querySelector("article.md-content__inner") || document.body;
  const text = (el) => (el.textContent || "").replace(/\s+/g, " ").trim();
  const short = (s) => (s.length > 90 ? s.slice(0, 90) + "..." : s);

  // Formulas: arithmatex (generic mode) leaves \( \) / \[ \] in .arithmatex; the build's KaTeX
  // (docs/hooks/katex.py) replaces the delimited TeX with a .katex tree. Typeset = has a .katex
  // and no text left beside it. With throwOnError: false KaTeX draws an unknown command (a typo like \fracc) as its
  // own name in red inside the .katex tree, not as a .katex-error: a backslash followed by
  // letters in the rendered glyphs (.katex-html) is such a command.
  const unknown = (el) => [...el.querySelectorAll(".katex-html")]
    .map((h) => (h.textContent.match(/\\[A-Za-z]+/g) || []).join(" ")).filter((s) => s).join(" ");
  const math = [...document.querySelectorAll(".arithmatex")];
  const untypeset = [];
  for (const el of math) {
    const clone = el.cloneNode(true);
    clone.querySelectorAll(".katex").forEach((k) => k.remove());
    if (!el.querySelector(".katex") || el.querySelector(".katex-error") || unknown(el) ||
        text(clone) !== "")
      untypeset.push(short(text(el)));
  }
  const katexErrors = [...document.querySelectorAll(".katex-error")].map(
    (el) => short((el.getAttribute("title") || "") + " :: " + text(el)));
  for (const el of document.querySelectorAll(".katex")) {
    const names = unknown(el);
    if (names) katexErrors.push(short("unknown command " + names + " :: " +
      ((el.querySelector("annotation") || {}).textContent || text(el))));
  }

  // Raw TeX in visible text, outside code, KaTeX's own trees, scripts and hidden elements.
  const RAW = ["\\frac", "$$", "\\partial", "\\sum", "\\tag", "\\(", "\\[", "\\begin{"];
  const skip = "pre, code, script, style, noscript, .katex, .katex-display, .md-search, .md-sidebar";
  const raw = [];
  const walker = document.createTreeWalker(
    document.querySelector(".md-container") || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !parent.checkVisibility()) continue;
    const hits = RAW.filter((r) => node.data.includes(r));
    if (hits.length) raw.push(short(hits.join(" ") + " in: " + node.data.replace(/\s+/g, " ").trim()));
  }
  // The TOC and navigation too: a heading with a formula must not show its TeX there.
  for (const side of document.querySelectorAll(".md-sidebar")) {
    const w = document.createTreeWalker(side, NodeFilter.SHOW_TEXT);
    for (let node = w.nextNode(); node; node = w.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest("code, .katex, script, style")) continue;
      const hits = RAW.filter((r) => node.data.includes(r));
      if (hits.length) raw.push(short("sidebar: " + hits.join(" ") + " in: " + node.data.trim()));
    }
  }

  // Traceback text is a defect unless a doctest shows it on purpose (a ">>>" example
  // that raises, as in an API page's docstring).
  const MARK = "Traceback (most recent call last)";
  const tracebacks = [];
  for (const pre of document.querySelectorAll("pre"))
    if (pre.textContent.includes(MARK) && !pre.textContent.includes(">>>"))
      tracebacks.push(short(pre.textContent.slice(pre.textContent.indexOf(MARK)).split("\n")
        .filter((l) => l.trim()).slice(-1)[0] || MARK));
  const tw = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = tw.nextNode(); node; node = tw.nextNode())
    if (node.data.includes(MARK) && !(node.parentElement && node.parentElement.closest("pre")))
      tracebacks.push(short("outside code: " + node.data.trim()));

  // Executed output: find each block's shown source among the code blocks; the element
  // that markdown-exec puts beside it (after for "above", before for "below") is its output.
  const norm = (s) => s.replace(/\s+/g, " ").trim();
  const highlights = [...article.querySelectorAll("div.highlight, pre")].filter(
    (el) => el.matches("div.highlight") || !el.closest("div.highlight"));
  const hasOutput = (el) =>
    !!el && (text(el) !== "" || !!el.querySelector("svg, img, table, canvas, video"));
  const missing = [];
  let outputs = 0;
  // Blocks that do not show their source: their results, counted by result language.
  const unsourced = {};
  for (const block of blocks)
    if (block.source !== "above" && block.source !== "below" && block.result)
      unsourced[block.result] = (unsourced[block.result] || 0) + 1;
  for (const [lang, needed] of Object.entries(unsourced)) {
    const found = [...article.querySelectorAll(`div.language-${lang}, pre > code.language-${lang}`)]
      .filter((el) => !el.parentElement.closest(`div.language-${lang}`) && text(el) !== "").length;
    if (found < needed) missing.push(`${needed - found} of ${needed} '${lang}' results missing`);
    else outputs += needed;
  }
  for (const block of blocks) {
    if (block.source !== "above" && block.source !== "below") continue;
    const code = norm(block.code);
    const shown = highlights.find((el) => norm((el.querySelector("pre") || el).textContent) === code);
    if (!shown) { missing.push(block.id + ": its source is not shown on the page"); continue; }
    let out = block.source === "above" ? shown.nextElementSibling : shown.previousElementSibling;
    if (hasOutput(out)) outputs += 1;
    else missing.push(block.id + ": no executed output beside its source");
  }

  // Images: every <img> in the article decoded with a real size (lazy ones loaded now).
  const imgs = [...article.querySelectorAll("img")];
  await Promise.all(imgs.map((img) => { img.loading = "eager"; return img.decode().catch(() => null); }));
  const images = imgs.map((img) => ({
    src: img.currentSrc || img.src, complete: img.complete,
    naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight }));

  // Figures: the article's own SVGs (plots, the network diagram), not the theme's icons,
  // not KaTeX's stretchy glyphs. A figure is an outermost <svg> meant to be bigger than an
  // icon (viewBox or width/height above 32); it must render with a non-zero box and content.
  const icon = ".katex, .md-icon, .twemoji, .headerlink, .md-content__button, .md-annotation, " +
               ".md-source-file, .md-tags, button, .md-clipboard, .md-footer";
  const figures = [];
  for (const svg of article.querySelectorAll("svg")) {
    if (svg.parentElement.closest("svg") || svg.closest(icon)) continue;
    const vb = svg.viewBox && svg.viewBox.baseVal;
    const num = (v) => parseFloat(v) || 0;
    const intended = Math.max(vb ? vb.width : 0, vb ? vb.height : 0,
                              num(svg.getAttribute("width")), num(svg.getAttribute("height")));
    if (intended <= 32) continue;
    const box = svg.getBoundingClientRect();
    // (details are open by now; an inactive content tab is the one place a figure hides)
    const closed = !!svg.closest(".tabbed-block") && !svg.checkVisibility();
    figures.push({
      label: short(svg.getAttribute("aria-label") || text(svg.querySelector("title") || svg) ||
                   (svg.id ? "#" + svg.id : "svg")),
      width: box.width, height: box.height, hidden: closed,
      shapes: svg.querySelectorAll("path, line, circle, rect, polyline, polygon, text, use, ellipse, image").length,
    });
  }

  // Material's copy button: .md-clipboard (up to 9.6), nav.md-code__nav > button[data-md-type=copy] (9.7+).
  const pres = [...article.querySelectorAll("pre")].filter((pre) => pre.querySelector(":scope > code"));
  const codeBlocks = pres.length;
  const copyButtons = pres.filter((pre) => pre.querySelector(
    ':scope > .md-clipboard, :scope > nav.md-code__nav > [data-md-type="copy"]')).length;
  const prev = document.querySelector("a.md-footer__link--prev");
  const next = document.querySelector("a.md-footer__link--next");
  return {
    title: document.title, formulas: math.length, typeset: math.length - untypeset.length,
    untypeset, katexErrors, raw, tracebacks, missing, outputs, images, figures,
    codeBlocks, copyButtons, prev: prev ? prev.href : null, next: next ? next.href : null,
  };
}
"""

TYPESET_JS = """() => [...document.querySelectorAll('.arithmatex')]
    .every((el) => el.querySelector('.katex, .katex-error'))"""


def load(page, url: str, typeset_timeout_ms=None) -> None:
    """Open ``url`` in ``page`` and wait for the fonts and for KaTeX (never longer than the timeout)."""
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    try:
        page.wait_for_function(TYPESET_JS, timeout=typeset_timeout_ms or TYPESET_TIMEOUT_MS)
    except Exception:
        pass  # the checks name what stayed untypeset


class Visitor:
    """One tab that visits the pages in turn, each page's events going to its own report.

    One tab for all pages is twice as fast as a tab per page (Chromium keeps the renderer
    and the compiled theme scripts). An event that arrives after its page's visit ended
    (none do on a static site) would be counted on the next page: still a failure."""

    def __init__(self, context, base: str):
        self.base, self.origin = base, urlsplit(base).netloc
        self.report = PageReport(path="")
        self.page = context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.report.console_errors.append(f"pageerror: {error}"))
        self.page.on("response", self._response)
        self.page.on("requestfailed", self._failed)

    def _console(self, message):
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.report.console_errors.append(f"console.error: {message.text} ({where})")

    def _response(self, response):
        if response.status >= 400:
            self.report.failed_requests.append(f"HTTP {response.status} {response.url}")

    def _failed(self, request):
        # Outside hosts are reported on their own. ERR_ABORTED is Chromium cancelling a
        # request because the tab moved on (the favicon of the page just left), not a
        # failure: a missing file shows as a status >= 400, a dead server as another error.
        if urlsplit(request.url).netloc == self.origin and "ERR_ABORTED" not in (request.failure or ""):
            self.report.failed_requests.append(f"{request.failure} {request.url}")

    def close(self):
        self.page.close()

    def visit(
        self, path: str, screenshot_to: Path | None = None, blocks=None, typeset_timeout_ms=None
    ) -> PageReport:
        """Load one page once and collect every per-page fact; screenshot it if asked.

        ``blocks``: the page's executed blocks, read from its Markdown source unless given."""
        report = self.report = PageReport(path=path)
        source = page_source(path)
        if blocks is not None:
            report.exec_blocks = list(blocks)
        elif source is not None:
            report.exec_blocks = exec_blocks(source.read_text(encoding="utf-8"))
        started, page = time.perf_counter(), self.page
        try:
            load(page, urljoin(self.base, path), typeset_timeout_ms)
            if screenshot_to is not None:  # as a reader first sees it: solutions folded
                page.screenshot(path=str(screenshot_to), full_page=True)
                report.screenshot = screenshot_to
            facts = page.evaluate(COLLECT_JS, [b.__dict__ for b in report.exec_blocks])
            report.title = facts["title"]
            report.formulas, report.typeset = facts["formulas"], facts["typeset"]
            report.untypeset, report.katex_errors = facts["untypeset"], facts["katexErrors"]
            report.raw_tex, report.tracebacks = facts["raw"], facts["tracebacks"]
            report.missing_output, report.outputs = facts["missing"], facts["outputs"]
            report.images, report.figures = facts["images"], facts["figures"]
            report.code_blocks, report.copy_buttons = facts["codeBlocks"], facts["copyButtons"]
            report.prev, report.next = facts["prev"], facts["next"]
        except Exception as error:  # a page that cannot be visited fails every check
            report.visit_error = f"{type(error).__name__}: {error}"
        report.seconds = time.perf_counter() - started
        return report


@pytest.fixture(scope="session")
def visitor(context, site_url):
    """``visitor()``: a new ``Visitor`` tab on the served site (close it when done), and
    ``visitor.block(...)`` to describe an executed block, for the checks' own tests."""

    def make() -> Visitor:
        return Visitor(context, site_url)

    make.block = ExecBlock
    return make


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where the chapter screenshots go: test-artifacts/screenshots/ in the repository."""
    return SCREENSHOTS


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> list[str]:
    pages = discover_pages(built_site)
    assert pages, f"no pages (index.html) found in the built site {built_site}"
    return pages


@pytest.fixture(scope="session")
def page_reports(site_url, site_pages, context) -> dict[str, PageReport]:
    """Every page of the site visited once, in one pass; chapters screenshotted.

    (site_url comes first: the site is built before the browser starts, so the time
    reported in the summary is the browser's alone.)"""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for stale in SCREENSHOTS.glob("*.png"):  # only this run's pictures in the folder
        stale.unlink()
    reports, visitor = {}, Visitor(context, site_url)
    try:
        for path in site_pages:
            shot = None
            if path.startswith("chapters/"):
                shot = SCREENSHOTS / (path.strip("/").split("/")[-1] + ".png")
            reports[path] = visitor.visit(path, shot)
            if reports[path].screenshot is not None:
                _SUMMARY["screenshots"].append(reports[path].screenshot)
    finally:
        visitor.close()
    _SUMMARY["pages"] = len(reports)
    _SUMMARY["sources"] = sum(r.formulas for r in reports.values())
    _SUMMARY["typeset"] = sum(r.typeset for r in reports.values())
    return reports


@pytest.fixture(autouse=True)
def _clock():
    """Note when the last browser test ended, for the time reported in the summary."""
    yield
    _SUMMARY["finished"] = time.perf_counter()


def pytest_terminal_summary(terminalreporter):
    shots = [p for p in _SUMMARY["screenshots"] if p.is_file()]
    if not shots:
        return
    started, finished = _SUMMARY["started"], _SUMMARY["finished"]
    elapsed = finished - started if started and finished else 0.0
    terminalreporter.section("browser checks")
    terminalreporter.write_line(
        f"{_SUMMARY['pages']} pages visited in Chromium, {_SUMMARY['typeset']} of "
        f"{_SUMMARY['sources']} formulas typeset, {elapsed:.1f} s from browser launch"
    )
    terminalreporter.write_line(f"{len(shots)} chapter screenshots in {SCREENSHOTS.resolve()}")
