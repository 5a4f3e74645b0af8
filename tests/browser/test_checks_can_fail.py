"""The per-page checks, run on a page made to break every one of them.

A check that never fires proves nothing: this page has formulas KaTeX cannot typeset (a
parse error, an unknown command, unbalanced braces), raw TeX in its text, an executed block
with an empty result, a traceback, an empty figure, a missing image and a console error,
and the one-pass collector must report each of them (and not the TeX inside a code block,
nor a theme-sized icon). Its formulas go through the site's own build hook
(docs/hooks/katex.py) and stylesheet: the good ones are typeset as in the book, the hook
refuses the three bad ones, and two of those are drawn as KaTeX draws them when told not to
throw (a red command name, a .katex-error), so the collector is shown to spot those too."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

SELF_TEST = "__browser_self_test__/"
HOOK = Path(__file__).resolve().parents[2] / "docs" / "hooks" / "katex.py"

BODY = r"""
<div class="md-container"><main><article class="md-content__inner md-typeset">
<h1>Self-test</h1>
<p>Typeset: <span class="arithmatex">\(a_j = \sum_i x_i w_{ij}\)</span></p>
<div class="arithmatex">\[\frac{\partial L}{\partial y_k} = y_k - t_k\]</div>
<p>Unknown command: <span class="arithmatex">\(\fracc{1}{2}\)</span></p>
<p>Parse error: <span class="arithmatex">\(x^^2\)</span></p>
<p>Unbalanced, so never delimited: <span class="arithmatex">\(\frac{1}{\)</span></p>
<p>Left raw: $$\partial L$$ then \sum_k delta_k.</p>
<div class="language-python highlight"><pre><code>print("value")</code></pre></div>
<div class="language-text highlight"><pre><code></code></pre></div>
<div class="language-text highlight"><pre><code>Traceback (most recent call last):
  File "&lt;code block: ch99-broken&gt;", line 1, in &lt;module&gt;
ValueError: y has shape (2,) but t has shape (3,)</code></pre></div>
<pre><code>$$\frac{a}{b}$$ inside code is allowed</code></pre>
<svg id="empty-figure" viewBox="0 0 400 300" width="0" height="0"><rect width="10" height="10"/></svg>
<svg viewBox="0 0 24 24" width="24" height="24"><path d="M0 0h24v24H0z"/></svg>
<img src="/__no_such_image__.png" alt="missing">
</article></main></div>
"""


def _katex_css(built_site) -> list[str]:
    """The KaTeX stylesheets the built home page loads, as site-absolute paths."""
    home = (built_site / "index.html").read_text(encoding="utf-8")
    return ["/" + c for c in re.findall(r'<link[^>]+href="(?:\./)?([^"]*katex[^"]*\.css)"', home)]


def _typeset(body: str) -> str:
    """``body`` with its formulas typeset by the site's hook, and two bad ones drawn leniently."""
    spec = importlib.util.spec_from_file_location("katex_hook_self_test", HOOK)
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    engine = hook.Katex(HOOK.parents[1] / hook.KATEX_JS)
    try:
        errors: list[str] = []
        body = hook.typeset(body, "self-test", engine, errors)
        assert len(errors) == 3, f"the hook should refuse the three bad formulas: {errors}"
        lenient = dict(hook.OPTIONS, throwOnError=False)
        for tex in ("\\fracc{1}{2}", "x^^2"):
            drawn = engine.context.call("katex.renderToString", tex, lenient)
            body = body.replace(f'<span class="arithmatex">\\({tex}\\)</span>',
                                f'<span class="arithmatex">{drawn}</span>')
        return body
    finally:
        engine.close()


@pytest.fixture(scope="module")
def broken(visitor, built_site):
    """The collector's report on the self-test page, served at a path the site lacks."""
    css = _katex_css(built_site)
    assert css, "the built home page loads no KaTeX stylesheet"
    html = (
        "<!doctype html><html><head><title>self-test</title>"
        + "".join(f'<link rel="stylesheet" href="{c}">' for c in css)
        + "</head><body>" + _typeset(BODY)
        + '<script>console.error("self-test: a script failed")</script></body></html>'
    )
    tab = visitor()
    tab.page.route(f"**/{SELF_TEST}", lambda route: route.fulfill(body=html, content_type="text/html"))
    block = visitor.block(id="ch99-print", code='print("value")', source="above", result="text", html=False)
    try:
        # the unbalanced formula is never typeset: do not wait the full time for it
        yield tab.visit(SELF_TEST, blocks=[block], typeset_timeout_ms=1500)
    finally:
        tab.close()


def test_the_self_test_page_was_visited(broken):
    assert not broken.visit_error, broken.visit_error


def test_formulas_counted_and_the_bad_one_flagged(broken):
    assert (broken.formulas, broken.typeset) == (5, 2), broken.untypeset
    assert len(broken.untypeset) == 3, broken.untypeset
    assert "fracc" in broken.untypeset[0] and "x^^2" in broken.untypeset[1], broken.untypeset
    assert "\\frac{1}{" in broken.untypeset[2], broken.untypeset
    errors = " ".join(broken.katex_errors)
    assert len(broken.katex_errors) == 2, broken.katex_errors
    assert "ParseError" in errors and "unknown command \\fracc" in errors, errors


def test_raw_tex_found_outside_code_only(broken):
    found = " ".join(broken.raw_tex)
    assert "$$" in found and "\\partial" in found and "\\sum" in found, broken.raw_tex
    assert "inside code is allowed" not in found, broken.raw_tex


def test_empty_output_and_traceback_found(broken):
    assert broken.missing_output == ["ch99-print: no executed output beside its source"]
    assert len(broken.tracebacks) == 1 and "ValueError" in broken.tracebacks[0], broken.tracebacks


def test_empty_figure_and_missing_image_found(broken):
    bad = [f for f in broken.figures if f["width"] <= 0 or f["height"] <= 0]
    assert [f["label"] for f in bad] == ["#empty-figure"], broken.figures
    assert len(broken.figures) == 1, "a 24 px icon is not a figure"
    assert [i["naturalWidth"] for i in broken.images] == [0], broken.images


def test_console_error_and_failed_request_found(broken):
    assert any("self-test: a script failed" in e for e in broken.console_errors), broken.console_errors
    assert any("HTTP 404" in f and "__no_such_image__" in f for f in broken.failed_requests), (
        broken.failed_requests
    )
