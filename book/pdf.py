"""The book as one PDF, printed by Chromium from the built site (``make pdf``).

The built site is served on 127.0.0.1; one Chromium tab (Debian's, through
Playwright's ``executable_path``; never ``playwright install``) visits every chapter
in nav order, waits until its formulas are typeset (KaTeX in the browser, or already
in the HTML once the build renders them), and takes the article: permalinks, copy
buttons and the notebook link go, folded solutions open, every id is prefixed with
its chapter so that ids stay unique, and links between chapters become links inside
the document. A print page is made from the first chapter's page (so every style
sheet of the site applies) holding a title page, a table of contents and the
chapters; Chromium prints it with print media and the light palette forced, page
numbers in the footer, and the document's internal links kept as PDF links.

    python -m book.pdf [--site site] [--out site/book.pdf]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import http.server
import os
import re
import shutil
import sys
import threading
import time
from pathlib import Path

import yaml

from book.notebooks import git_commit, package_version

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TYPESET_MS = 20_000
CHAPTER = re.compile(r"^chapters/(?P<stem>(?P<n>\d\d)-[\w-]+)\.md$")

# Everything that is site furniture, not the book's text.
FURNITURE = (".headerlink, .md-content__button, .md-clipboard, nav.md-code__nav, .md-source-file, "
             ".notebook-link, .katex-mathml, script, .md-feedback")

# Formulas are typeset when no arithmatex element is left without KaTeX output; true at
# once when the build has typeset them already.
TYPESET = "() => ![...document.querySelectorAll('.arithmatex')].some((m) => !m.querySelector('.katex, .katex-error'))"

TAKE = r"""
([stem, stems]) => {
  const article = document.querySelector("article.md-content__inner").cloneNode(true);
  article.querySelectorAll(FURNITURE).forEach((el) => el.remove());
  article.querySelectorAll("details").forEach((d) => d.setAttribute("open", ""));
  article.querySelectorAll("[id]").forEach((el) => { el.id = stem + "--" + el.id; });
  const h1 = article.querySelector("h1");
  const title = h1 ? h1.textContent.trim() : stem;
  if (h1) h1.id = stem;
  for (const a of article.querySelectorAll("a[href]")) {
    const url = new URL(a.getAttribute("href"), location.href);
    if (url.origin !== location.origin) continue;  // a link out of the book stays one
    const match = url.pathname.match(/\/chapters\/(\d\d-[\w-]+)\/?$/);
    if (match && stems.includes(match[1])) {
      const frag = decodeURIComponent(url.hash.slice(1));
      a.setAttribute("href", "#" + match[1] + (frag ? "--" + frag : ""));
    } else {
      a.replaceWith(...a.childNodes);  // an API page or a file: not in the PDF
    }
  }
  for (const img of article.querySelectorAll("img[src]")) img.setAttribute("src", img.src);
  return { title, html: article.innerHTML };
}
""".replace("FURNITURE", repr(FURNITURE))

PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html { font-size: 120%; }
.md-header, .md-tabs, .md-sidebar, .md-footer, .md-top, .md-dialog, .md-banner { display: none !important; }
.md-main__inner, .md-content, .md-content__inner { margin: 0 !important; max-width: none !important; }
.bp-title { height: 230mm; display: flex; flex-direction: column; justify-content: center; text-align: center; }
.bp-title h1 { font-size: 2.4em; margin-bottom: 0.4em; }
.bp-toc, .bp-chapter { break-before: page; }
.bp-toc ol { list-style: none; padding-left: 0; }
.bp-toc li { margin: 0.3em 0; }
.bp-chapter-number { color: #555; font-size: 0.9em; margin-bottom: -1em; }
.md-typeset .katex-display { overflow: visible !important; }
.md-typeset pre > code { white-space: pre-wrap !important; overflow-wrap: anywhere; }
.md-typeset h2, .md-typeset h3 { break-after: avoid; }
.md-typeset .katex-display, .md-typeset figure, .md-typeset svg { break-inside: avoid; }
"""

FOOTER = ('<div style="font-size: 8px; width: 100%; text-align: center; color: #555;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may carry !!python/name and !ENV tags; the nav needs none of them."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def nav_chapters(config: Path = REPO / "mkdocs.yml") -> list[str]:
    """The chapter pages of the nav, in nav order, as ``chapters/NN-topic.md``.

    >>> pages = nav_chapters()
    >>> pages[0], all(CHAPTER.match(p) for p in pages)
    ('chapters/01-motivation.md', True)
    """
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, str):
            if CHAPTER.match(node):
                found.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    walk((yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader) or {}).get("nav", []))
    return found


def chromium() -> str | None:
    """Debian's Chromium: on PATH, or at /usr/bin/chromium; ``None`` when there is none."""
    return shutil.which("chromium") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A tab closed while a file was still on its way: not the site's fault.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site: Path):
    """``site`` served on 127.0.0.1 on a free port, for the duration of the block
    (here and in the browser checks, tests/browser/conftest.py)."""
    server = _Server((HOST, 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def front_matter(book: str, about: str, chapters: list[tuple[str, str]], stamp: str) -> str:
    """The title page and the table of contents (links, no page numbers) as HTML.

    >>> page = front_matter("B", "d", [("04-output-layer", "The output layer")], "v 1")
    >>> '<a href="#04-output-layer">4. The output layer</a>' in page
    True
    """
    items = "\n".join(f'<li><a href="#{stem}">{int(stem[:2])}. {html.escape(title)}</a></li>'
                      for stem, title in chapters)
    return (f'<section class="bp-title"><h1 id="book-title">{html.escape(book)}</h1>'
            f"<p>{html.escape(about)}</p><p><small>{html.escape(stamp)}</small></p></section>"
            f'<section class="bp-toc"><h1 id="contents">Contents</h1><ol>{items}</ol></section>')


def build_pdf(site: Path, out: Path, config: Path = REPO / "mkdocs.yml", log=print) -> dict:
    """Print the built ``site`` to ``out``; return what was printed (chapters, seconds, bytes)."""
    # imported here, not at the top: the browser checks import serve() and chromium() from
    # this module, and skip (rather than fail to import) where playwright is missing
    from playwright.sync_api import sync_playwright

    executable = chromium()
    if executable is None:
        raise RuntimeError("no Chromium: install Debian's package (apt-get install -y chromium)")
    settings = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader)
    pages = nav_chapters(config)
    if not pages:
        raise RuntimeError(f"{config}: the nav lists no chapters/NN-topic.md pages")
    stems = [CHAPTER.match(p)["stem"] for p in pages]
    missing = [s for s in stems if not (site / "chapters" / s / "index.html").is_file()]
    if missing:
        raise RuntimeError(f"{site} has no built page for {missing}: build the site first (make site)")
    started = time.perf_counter()
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        try:
            context = browser.new_context(color_scheme="light", service_workers="block")
            context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])"), lambda route: route.abort())
            tab = context.new_page()
            taken = []
            for stem in stems:
                tab.goto(f"{base}chapters/{stem}/", wait_until="load")
                tab.wait_for_function(TYPESET, timeout=TYPESET_MS)
                taken.append(tab.evaluate(TAKE, [stem, stems]))
                log(f"pdf: {stem}: {taken[-1]['title']}")
            stamp = f"backprop_book {package_version()}, commit {git_commit()[:12]}"
            front = front_matter(settings.get("site_name", "The book"),
                                 " ".join(str(settings.get("site_description", "")).split()),
                                 [(s, t["title"]) for s, t in zip(stems, taken)], stamp)
            body = front + "".join(
                f'<section class="bp-chapter"><p class="bp-chapter-number">Chapter {int(s[:2])}</p>{t["html"]}</section>'
                for s, t in zip(stems, taken))
            tab.goto(f"{base}chapters/{stems[0]}/", wait_until="load")
            tab.evaluate(
                """([body, css]) => {
                  document.body.setAttribute("data-md-color-scheme", "default");
                  document.body.setAttribute("data-md-color-primary", "indigo");
                  document.querySelector("article.md-content__inner").innerHTML = body;
                  const style = document.createElement("style");
                  style.textContent = css;
                  document.head.appendChild(style);
                  document.title = document.querySelector("#book-title").textContent;
                }""",
                [body, PRINT_CSS],
            )
            tab.emulate_media(media="print", color_scheme="light")
            tab.evaluate("document.fonts.ready.then(() => true)")
            tab.wait_for_load_state("networkidle")
            out.parent.mkdir(parents=True, exist_ok=True)
            tab.pdf(path=str(out), format="A4", print_background=True, display_header_footer=True,
                    header_template="<span></span>", footer_template=FOOTER, outline=True, tagged=True,
                    margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
        finally:
            browser.close()
    return {"chapters": len(stems), "seconds": time.perf_counter() - started, "bytes": out.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "site", help="the built site (make site)")
    parser.add_argument("--out", type=Path, default=REPO / "site" / "book.pdf", help="where the PDF goes")
    args = parser.parse_args(argv)
    done = build_pdf(args.site, args.out)
    from pypdf import PdfReader  # the test extra's, as playwright is


    pages = len(PdfReader(args.out).pages)
    print(f"pdf: {args.out} ({pages} pages, {done['bytes'] / 1e6:.1f} MB, {done['chapters']} chapters, "
          f"{done['seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
