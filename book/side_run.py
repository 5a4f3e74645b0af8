"""Run the executed blocks of a few pages in a process of their own: the build's side run.

Chapters 15 and 16 spend most of the build's time in their blocks (the digits trained
twice, scikit-learn imported, a Dask cluster of two worker processes started and
closed). The side-run hook (docs/hooks/side_run.py) starts this process when a build
begins; it runs those pages' blocks, in page order, each session in one namespace,
with markdown-exec's own runner, and prints one JSON line per page. When MkDocs renders
such a page, markdown-exec receives each block's output from that line instead of running
the block again, after checking that the block's code is the code that ran. The page is
the same; it is computed on the machine's second core while the first renders the rest.

A block's record is its ``id``, ``session``, ``code`` (as markdown-exec receives it:
dedented, snippets expanded, hidden lines kept), and either ``output`` (what it printed)
or ``error`` (markdown-exec's report of the exception, which fails the strict build).

>>> import tempfile, pathlib
>>> page = pathlib.Path(tempfile.mkdtemp()) / "p.md"
>>> _ = page.write_text('```python exec="on" session="s" id="a"\\nx = 2\\n```\\n'
...                     '```python exec="on" session="s" id="b"\\nprint(x * 21)\\n```\\n'
...                     '```python\\nnot run\\n```\\n')
>>> [(b["id"], b["output"]) for b in run_page(page)["blocks"]]
[('a', ''), ('b', '42\\n')]
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from markdown_exec._internal.formatters.base import ExecutionError
from markdown_exec._internal.formatters.python import _run_python

from book.parse import ON, parts

# The fence attributes markdown-exec reads itself; the others reach the runner as ``extra``.
OPTIONS = {"exec", "id", "idprefix", "html", "source", "result", "returncode", "session",
           "updatetoc", "tabs", "workdir", "width", "kind", "lang", "code", "indent", "file",
           "line", "folded"}


def _executed(markdown: str) -> list[dict]:
    # every fence markdown-exec runs, raw (book.parse.fences drops the hidden lines)
    return [p for p in parts(markdown) if p["kind"] == "fence" and p.get("exec", "").lower() in ON]


def blocks(markdown: str) -> list[dict]:
    """The executed Python fences of a page, in order, with the code markdown-exec runs.

    >>> [b["code"] for b in blocks('```python exec="on"\\nx = 1  # markdown-exec: hide\\n```')]
    ['x = 1  # markdown-exec: hide']
    """
    return [p for p in _executed(markdown) if p["lang"] == "python"]


def run_page(path: Path) -> dict:
    """Run every executed Python block of the page at ``path``, as markdown-exec would."""
    start = time.perf_counter()
    markdown = path.read_text(encoding="utf-8")
    others = [p.get("id") or p["line"] for p in _executed(markdown) if p["lang"] != "python"]
    if others:  # markdown-exec would run them in the build's process, without this run's sessions
        raise ValueError(f"{path}: executed blocks in another language than python: {others}")
    records = []
    for block in blocks(markdown):
        if block.get("workdir") or block.get("width"):
            raise ValueError(f"{path}: block {block.get('id')!r} sets workdir or width, "
                             "which the side run does not reproduce")
        record = {"id": block.get("id", ""), "session": block.get("session", ""), "code": block["code"]}
        began = time.perf_counter()
        extra = {k: v for k, v in block.items() if k not in OPTIONS}
        try:
            record["output"] = _run_python(
                block["code"], returncode=int(block.get("returncode", 0)),
                session=block.get("session") or None, id=block.get("id", ""), **extra,
            )
        except ExecutionError as error:
            record["error"], record["returncode"] = str(error), error.returncode
        record["seconds"] = time.perf_counter() - began
        records.append(record)
    return {"page": str(path), "blocks": records, "seconds": time.perf_counter() - start}


if __name__ == "__main__":
    # The records go to a copy of stdout. Whatever else writes to stdout (a library, a checker
    # printing with the built-in print, a Dask worker process) reaches stderr instead.
    records = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    for page in sys.argv[1:]:
        print(json.dumps(run_page(Path(page))), file=records, flush=True)
