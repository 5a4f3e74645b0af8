"""MkDocs hook: tell the page's JavaScript which code blocks a reader can run in the page.

Two kinds of block become cells (docs/assets/js/cells.js does the rest in the browser):

* **exercise stubs**: a plain ``python`` fence (not executed by the build) that calls a
  ``check_...`` imported from ``backprop_book.exercises``; the cell runs it alone, in a
  fresh namespace, so the reader's function meets the checker;
* **shown blocks**: every executed block whose source the page shows (``source="above"``,
  ``"tabbed-left"``, ...). They run in their ``session=``, the shown blocks above them in
  the page first, as the build ran them. Hidden blocks (no ``source``) are presentation
  and never reach the reader's Python.

A block that imports what the page cannot load (the standard library, NumPy,
array_api_compat and backprop_book are all it has) is listed with ``needs`` and gets a
note instead of Run.

The data goes into each page as ``<script type="application/json" id="book-cells">``,
after the search index has read the page, so no code lands in the search index twice.
"""

from __future__ import annotations

import ast
import json
import logging
import sys
from pathlib import Path

from book import parse  # the book's one Markdown parser (book_path.py put the root on sys.path)

# What the page's Python can import besides the standard library.
LOADABLE = {"numpy", "array_api_compat", "backprop_book"}
SHOWN_OFF = {"", "off", "false", "0", "no"}
CHECKERS = "backprop_book.exercises"
DATA_ID = "book-cells"

log = logging.getLogger(f"mkdocs.hooks.{__name__}")
_pages: dict[str, list[dict]] = {}


def _imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def _checker(tree: ast.AST) -> str | None:
    """The checker a stub calls: a ``check_...`` imported from backprop_book.exercises."""
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == CHECKERS
        for alias in node.names
        if alias.name.startswith("check_")
    }
    called = [
        node.func.id for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported
    ]
    return called[0] if called else None


def cells(markdown: str, page_name: str = "page") -> list[dict]:
    """The runnable blocks of a page's Markdown, in page order.

    Each is ``{"id", "kind": "exercise" | "shown", "session", "code", "needs"}``;
    ``needs`` lists the modules the page cannot load (empty when the block can run).

    >>> stub = '```python\\nfrom backprop_book.exercises import check_sigmoid\\n'
    >>> stub += 'def my_sigmoid(a):\\n    ...\\ncheck_sigmoid(my_sigmoid)\\n```'
    >>> shown = '```python exec="on" source="above" session="s" id="b1"\\nimport torch\\n```'
    >>> hidden = '```python exec="on" session="s" id="h"\\nprint(1)\\n```'
    >>> [(c["id"], c["kind"], c["session"], c["needs"]) for c in cells("\\n".join([stub, shown, hidden]))]
    [('exercise-check_sigmoid', 'exercise', None, []), ('b1', 'shown', 's', ['torch'])]
    """
    found, seen = [], set()
    blocks = [b for b in parse.fences(markdown) if b["executed"] or b["lang"] == "python"]
    for n, block in enumerate(blocks, 1):
        try:
            tree = ast.parse(block["code"])
        except SyntaxError:  # a stub that is not Python yet: nothing a cell could run as shown
            continue
        if not block["executed"]:  # a plain python fence: an exercise stub, if it calls a checker
            checker = _checker(tree)
            if checker is None:
                continue
            kind, session, name = "exercise", None, f"exercise-{checker}"
        elif block.get("source", "").lower() not in SHOWN_OFF:
            kind, session, name = "shown", block.get("session"), block.get("id", f"{page_name}-block-{n}")
        else:
            continue
        while name in seen:  # a checker used by two stubs of one page
            name += "-again"
        seen.add(name)
        needs = sorted(m for m in _imports(tree) - LOADABLE if m not in sys.stdlib_module_names)
        found.append({"id": name, "kind": kind, "session": session, "code": block["code"], "needs": needs})
    return found


def on_page_markdown(markdown, page, config, files, **kwargs):
    found = cells(markdown, Path(page.file.src_uri).stem)
    if found:
        _pages[page.file.src_uri] = found
    else:
        _pages.pop(page.file.src_uri, None)
    return markdown


def on_post_page(output, page, config, **kwargs):
    found = _pages.get(page.file.src_uri)
    if not found:
        return output
    # "<" escaped: no "</script>" inside the code can end the element early.
    data = json.dumps({"cells": found}, ensure_ascii=False).replace("<", "\\u003c")
    script = f'<script type="application/json" id="{DATA_ID}">{data}</script>'
    head, body, tail = output.rpartition("</body>")
    if not body:
        return output + script
    return f"{head}{script}\n</body>{tail}"


def on_post_build(config, **kwargs) -> None:
    blocks = [c for page in _pages.values() for c in page]
    stubs = sum(c["kind"] == "exercise" for c in blocks)
    blocked = sum(bool(c["needs"]) for c in blocks)
    log.info(
        f"cells: {stubs} exercise stubs and {len(blocks) - stubs} shown blocks runnable in the page "
        f"on {len(_pages)} pages ({blocked} need a library the page cannot load)"
    )
