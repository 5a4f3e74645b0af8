"""MkDocs hook: typeset every formula while the site builds, with the vendored KaTeX.

pymdownx.arithmatex (generic mode) leaves inline math as ``\\( ... \\)`` in a
``span.arithmatex`` and display math as ``\\[ ... \\]`` in a ``div.arithmatex``. This
hook hands each formula to the book's own copy of KaTeX (docs/assets/katex/katex.min.js,
vendored by scripts/update_katex.sh) running in V8 embedded in Python (the ``mini-racer``
package: no Node.js needed) and puts KaTeX's HTML + MathML in the element's place. The
pages then need KaTeX's stylesheet and fonts only, read the same with JavaScript off, and
a screen reader gets the MathML.

When: ``on_page_context``, after Material's search plugin has indexed the page. By then
everything that makes formulas is done (chapters, executed-block output that prints
``$$``, mkdocstrings docstrings, autorefs), and the search index keeps each formula's TeX
source instead of KaTeX's glyphs. Headings with a formula feed the table of contents,
so the TOC titles are typeset too.

A formula KaTeX cannot parse fails the build (a PluginError naming the page and the
formula). KaTeX starts once per process (``mkdocs serve`` rebuilds reuse it, and its
cache of formulas already typeset: the same TeX with the same options gives the same HTML).
"""

from __future__ import annotations

import atexit
import hashlib
import html
import json
import logging
import re
import threading
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger(f"mkdocs.hooks.{__name__}")

KATEX_JS = Path("assets") / "katex" / "katex.min.js"  # under docs_dir
# The options the browser used (docs/assets/js/katex-init.js, now gone), except that an
# error stops the build instead of drawing red text, and MathML goes beside the HTML.
OPTIONS = {"output": "htmlAndMathml", "throwOnError": True, "strict": "ignore"}
# arithmatex escapes the TeX (& < >), so an element's text holds no tag.
FORMULA = re.compile(r'<(span|div) class="arithmatex">([^<]*)</\1>')
INLINE = re.compile(r"\\\((.*?)\\\)", re.S)  # a formula in a TOC title (text, no element)
DELIMITERS = {"span": ("\\(", "\\)", False), "div": ("\\[", "\\]", True)}

# Returns [true, html] or [false, KaTeX's message]; any other exception is a bug and raises.
RENDER_JS = """
function __bookRender(tex, displayMode, options) {
  try {
    return [true, katex.renderToString(tex, Object.assign({displayMode}, options))];
  } catch (error) {
    if (error instanceof katex.ParseError) return [false, error.message];
    throw error;
  }
}
function __bookRenderAll(formulas, options) {  // one call per page: each call costs more than a formula
  return JSON.stringify(formulas.map(([tex, displayMode]) => __bookRender(tex, displayMode, options)));
}
"""


class Katex:
    """The vendored katex.min.js in one V8 context, with a cache of what it typeset."""

    def __init__(self, script: Path):
        from py_mini_racer import MiniRacer

        source = script.read_text(encoding="utf-8")
        self.digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        self.context = MiniRacer()
        self.context.eval(source)
        self.context.eval(RENDER_JS)
        self.version = self.context.eval("katex.version")
        self.cache: dict[tuple[str, bool], tuple[bool, str]] = {}
        self.calls = 0

    def render(self, tex: str, display: bool) -> tuple[bool, str]:
        """(True, KaTeX's HTML + MathML) or (False, KaTeX's parse error)."""
        self.render_all([(tex, display)])
        return self.cache[(tex, display)]

    def render_all(self, formulas: list[tuple[str, bool]]) -> None:
        """Typeset into the cache every ``(tex, display)`` not in it yet, in one call to V8."""
        todo = list(dict.fromkeys(key for key in formulas if key not in self.cache))
        if todo:
            self.calls += len(todo)
            results = json.loads(self.context.call("__bookRenderAll", [list(key) for key in todo], OPTIONS))
            self.cache.update((key, tuple(result)) for key, result in zip(todo, results))

    def close(self):
        # A V8 context still open at exit after a call from another thread (mkdocs serve
        # rebuilds in one) keeps the interpreter from exiting: close it explicitly.
        self.context.close()


_engine: Katex | None = None
_stats: dict = {}


def engine(docs_dir: str) -> Katex:
    """The process's KaTeX, started on first use; restarted if katex.min.js changed."""
    global _engine
    script = Path(docs_dir) / KATEX_JS
    if not script.is_file():
        raise PluginError(f"katex: {script} is missing (vendor it with scripts/update_katex.sh)")
    if _engine is not None:
        digest = hashlib.sha256(script.read_bytes()).hexdigest()
        if digest != _engine.digest:
            _engine.close()
            _engine = None
    if _engine is None:
        started = time.perf_counter()
        _engine = Katex(script)
        atexit.register(_engine.close)
        _stats["startup"] = time.perf_counter() - started
    return _engine


def _formula(match: re.Match) -> tuple[str, bool] | None:
    """The ``(tex, display)`` of an arithmatex element, or None if its delimiters are missing."""
    left, right, display = DELIMITERS[match.group(1)]
    source = html.unescape(match.group(2)).strip()
    if not (source.startswith(left) and source.endswith(right)):
        return None
    return source[len(left) : -len(right)], display


def typeset(text: str, where: str, katex: Katex, errors: list[str]) -> str:
    """``text`` with every arithmatex element's TeX replaced by KaTeX's output."""

    def one(match: re.Match) -> str:
        tag, key = match.group(1), _formula(match)
        if key is None:
            left, right, _ = DELIMITERS[tag]
            source = html.unescape(match.group(2)).strip()
            errors.append(f"{where}: a {tag}.arithmatex without {left} ... {right}: {source[:80]!r}")
            return match.group(0)
        ok, out = katex.render(*key)
        if not ok:
            errors.append(f"{where}: {out} in the formula {html.unescape(match.group(2)).strip()}")
            return match.group(0)
        _stats["formulas"] = _stats.get("formulas", 0) + 1
        return f'<{tag} class="arithmatex">{out}</{tag}>'

    katex.render_all([key for key in map(_formula, FORMULA.finditer(text)) if key])  # the page in one call
    return FORMULA.sub(one, text)


def typeset_toc_title(title: str, where: str, katex: Katex, errors: list[str]) -> str:
    """A TOC title holds a heading's text: its formulas are bare \\( ... \\), HTML-escaped."""

    def one(match: re.Match) -> str:
        tex = html.unescape(match.group(1))
        ok, out = katex.render(tex, False)
        if not ok:
            errors.append(f"{where} (table of contents): {out} in the formula {match.group(0)}")
            return match.group(0)
        return out  # bare KaTeX: arithmatex did not make it, and the TOC is no formula count

    return INLINE.sub(one, title)


def _toc(items, where: str, katex: Katex, errors: list[str]):
    for item in items:
        item.title = typeset_toc_title(item.title, where, katex, errors)
        _toc(item.children, where, katex, errors)


_warming: list[threading.Thread] = []  # the engine starting while the first pages render


def on_pre_build(config, **kwargs):
    # V8 compiles katex.min.js on its own thread; a failure is raised again at first use
    _warming.append(threading.Thread(target=engine, args=(config["docs_dir"],), daemon=True))
    _warming[-1].start()


def on_config(config, **kwargs):
    _stats.clear()
    _stats.update(formulas=0, pages=0, seconds=0.0, calls_before=_engine.calls if _engine else 0)
    return config


@event_priority(-100)  # after Material's search plugin indexed the TeX source
def on_page_context(context, page, config, nav, **kwargs):
    started = time.perf_counter()
    while _warming:
        _warming.pop().join()
    katex = engine(config["docs_dir"])
    errors: list[str] = []
    before = _stats["formulas"]
    page.content = typeset(page.content, page.file.src_uri, katex, errors)
    _toc(page.toc, page.file.src_uri, katex, errors)
    if errors:
        raise PluginError(
            f"katex: {len(errors)} formula(s) KaTeX cannot typeset:\n  " + "\n  ".join(errors)
        )
    _stats["pages"] += _stats["formulas"] > before
    _stats["seconds"] += time.perf_counter() - started
    return context


def on_post_build(config, **kwargs):
    if _engine is None:
        return
    log.info(
        "katex: %d formulas typeset on %d pages with KaTeX %s at build (%d rendered, the rest "
        "from the cache; %.2f s, engine start %.2f s)",
        _stats["formulas"], _stats["pages"], _engine.version,
        _engine.calls - _stats["calls_before"], _stats["seconds"], _stats.get("startup", 0.0),
    )


def on_shutdown(**kwargs):
    global _engine
    if _engine is not None:
        _engine.close()
        _engine = None
