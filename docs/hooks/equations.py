"""MkDocs hook: link each API entry back to the equation it implements.

Chapters give every numbered equation an anchor, ``<a id="eq-4-4"></a>`` before the
display that carries ``\\tag{4.4}``. Docstrings say which equation a function
implements: "Equation (4.4)". On the API reference pages this hook turns that text
into a link to the chapter's anchor, so formula -> function -> formula is one click
each way.

The book's equation shape puts the anchor, the $$ lines and the "Computed by" line
next to each other. Python-Markdown would read those lines as one paragraph and
arithmatex would leave the $$ untouched, so before conversion this hook sets every
display block that stands on its own lines apart with blank lines (outside code
fences only).

Anchors, tags and exec blocks are read with ``book.parse``, the one reader the tests
and Chapter 10 use too. The build fails (PluginError) when an anchor is written in
another form (``{#eq-4-4}``), is defined twice, or a docstring cites
an equation that its chapter does not define. A citation into a chapter that defines
no equation at all yet (a stub being written) is left as plain text and counted as
pending in the log; tests/test_equations.py holds the full registry to account.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from book.parse import chapters, equations, exec_blocks, outside_fences, stray_anchors

log = logging.getLogger(f"mkdocs.hooks.{__name__}")

NUMBER = re.compile(r"\((\d+)\.(\d+)\)")
# "Equation (4.4)", "Equations (4.2) and (4.3)", "Equations (6.1), (6.2) or (6.3)"
CITATION = re.compile(
    r"Equations?\s+\(\d+\.\d+\)(?:(?:\s*,\s*|,?\s+and\s+|,?\s+or\s+)\(\d+\.\d+\))*"
)
TAG = re.compile(r"(<[^>]*>)")
SKIP = {"a", "code", "pre", "script", "style"}  # never rewrite text inside these

_state: dict = {}


def separate_displays(markdown: str) -> str:
    """Put a blank line before and after each $$ display block that starts a line."""
    prose = {n for n, _ in outside_fences(markdown)}  # code fences stay as they are
    out: list[str] = []
    in_display = False
    for n, line in enumerate(markdown.split("\n"), 1):
        stripped = line.strip()
        if n in prose and not in_display and stripped.startswith("$$"):
            if out and out[-1].strip():
                out.append("")
            single = len(stripped) > 4 and stripped.endswith("$$")
            in_display = not single
            out.append(line)
            if single:
                out.append("")
            continue
        if n in prose and in_display and stripped.endswith("$$"):
            in_display = False
            out.append(line)
            out.append("")
            continue
        out.append(line)
    return "\n".join(out)


def on_page_markdown(markdown, page, config, files, **kwargs):
    return separate_displays(markdown)


def scan_chapters(folder: Path) -> tuple[dict[str, str], dict[int, str], int]:
    """Map "N.M" to the chapter file defining anchor eq-N-M, N to chapter N's file; exec blocks.

    Read with ``book.parse``, as tests/test_equations.py and Chapter 10's table read them.
    """
    anchors: dict[str, str] = {}
    numbered: dict[int, str] = {}
    blocks = 0
    for path in chapters(folder):
        src = f"{folder.name}/{path.name}"
        numbered[int(path.name[:2])] = src
        text = path.read_text(encoding="utf-8")
        stray = stray_anchors(text)
        if stray:
            raise PluginError(
                f"equations: {src}:{stray[0][0]}: write an equation's anchor as "
                f'<a id="eq-N-M"></a> on the line before its display, not {stray[0][1]!r}'
            )
        for eq in equations(text):
            n, m = eq.number.split(".")
            if eq.number in anchors:
                raise PluginError(
                    f"equations: anchor eq-{n}-{m} is defined twice ({anchors[eq.number]} and {src})"
                )
            anchors[eq.number] = src
        blocks += len(exec_blocks(text))
    return anchors, numbered, blocks


def on_files(files, config, **kwargs):
    anchors, numbered, blocks = scan_chapters(Path(config["docs_dir"]) / "chapters")
    _state.update(anchors=anchors, numbered=numbered, blocks=blocks, links=0, pending=set())
    return files


def _link(citation: str, page, files, errors: list[str]) -> str:
    anchors, numbered = _state["anchors"], _state["numbered"]

    def one(match: re.Match) -> str:
        n, m = int(match.group(1)), int(match.group(2))
        key = f"{n}.{m}"
        if key in anchors:
            target = files.get_file_from_path(anchors[key])
            _state["links"] += 1
            href = f"{target.url_relative_to(page.file)}#eq-{n}-{m}"
            return f'<a class="eq-ref" href="{href}">({key})</a>'
        chapter = numbered.get(n)
        if chapter is None:
            errors.append(f"({key}): there is no chapter {n}")
        elif any(anchors[k] == chapter for k in anchors):
            errors.append(f"({key}): {chapter} defines no anchor eq-{n}-{m}")
        else:
            _state["pending"].add(key)
        return match.group(0)

    return NUMBER.sub(one, citation)


def on_page_content(html, page, config, files, **kwargs):
    if not page.file.src_uri.startswith("reference/"):
        return html
    errors: list[str] = []
    out, skip = [], 0
    for piece in TAG.split(html):
        if piece.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            if name and name.group(1).lower() in SKIP and not piece.endswith("/>"):
                skip += -1 if piece.startswith("</") else 1
        elif piece and skip <= 0:
            piece = CITATION.sub(lambda c: _link(c.group(0), page, files, errors), piece)
        out.append(piece)
    if errors:
        raise PluginError(
            f"equations: {page.file.src_uri} cites equations no chapter defines: "
            + "; ".join(errors)
        )
    return "".join(out)


def on_post_build(config, **kwargs):
    log.info(
        "equations: %d anchors and %d exec blocks in the chapters, %d links from the API pages, "
        "%d citations pending%s",
        len(_state.get("anchors", {})),
        _state.get("blocks", 0),
        _state.get("links", 0),
        len(_state.get("pending", ())),
        f" (no equations yet in their chapters: {', '.join(sorted(_state['pending']))})"
        if _state.get("pending")
        else "",
    )
