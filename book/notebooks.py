r"""One Jupyter notebook per chapter, made from the chapter's Markdown by ``book.parse``.

A chapter becomes, in page order: Markdown cells for its prose and formulas, and a
code cell for every block the reader is shown (``exec="on"`` blocks with ``source=``
set, and plain ``python`` fences such as the exercises' stubs with their checker
calls). Hidden blocks (presentation: tables, figures, LaTeX templates) and the worked
solutions (inside ``??? success "Solution"``) are left out. MkDocs-only syntax is
turned into what Jupyter renders: admonitions become a bold title over their text,
autorefs links become code, ``{ #anchor }`` becomes an ``<a id>`` the links can
reach, links to other chapters point at their notebooks, ``\( \)`` and ``\[ \]`` math
becomes ``$ $`` and ``$$ $$``.

The first cell states the ``backprop_book`` version and the git commit the notebook
was made from, and installs that version only when it is missing. Cell ids come from
the blocks' ids or their position, and nothing records a time, so two builds of one
commit give identical files.
"""

from __future__ import annotations

import ast
import builtins
import json
import re
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from markdown.extensions.toc import slugify

from book.parse import AUTOREF, DETAILS, ON, REPO, SNIPPET, SOLUTION, exec_blocks, parts

PACKAGE = "backprop_book"
PYTHON = {"python", "py", "python3"}
# What a shown cell may need beyond the package: a library the package does not depend
# on, or a GPU. Such a cell is tagged requires-<name>, so that a runner lacking it can
# skip that cell and say why (tests/test_notebooks.py does).
REQUIRES = {
    "torch": re.compile(r"^\s*(?:import|from)\s+torch\b", re.M),
    "dask": re.compile(r"^\s*(?:import|from)\s+dask\b", re.M),
    "cuda": re.compile(r"\.cuda\(|device=[\"']cuda"),
}
ADMONITION = re.compile(r"""^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)(?:[ \t]+"(?P<title>[^"]*)")?""")
TAB = re.compile(r"""^(?P<indent>[ \t]*)===\+?[ \t]+"(?P<title>[^"]*)"\s*$""")
ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*(?P<body>[#.][^}\n]*|[\w-]+(?:=[^}\n]*)?)[ \t]*\}[ \t]*$")
LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
# arithmatex's \( \) and \[ \] (not TeX's \\[4pt] line break)
DELIMITER = re.compile(r"(?<!\\)\\([()\[\]])")
HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)[ \t]*$")
CHAPTER_LINK = re.compile(r"^(?:\./)?(?P<stem>\d\d-[\w-]+)\.md(?P<fragment>#[\w-]+)?$")


def package_version() -> str:
    """The installed ``backprop_book``'s version, as pip knows it.

    >>> package_version().count(".") >= 1
    True
    """
    try:
        return version(PACKAGE)
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


def git_commit(repo: Path = REPO) -> str:
    """The commit checked out in ``repo``, or ``"unknown"`` outside a git checkout.

    >>> len(git_commit()) in (40, len("unknown"))
    True
    """
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                              text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 else "unknown"


# ------------------------------------------------------------------ prose


def inline(line: str) -> str:
    r"""One line of prose as Jupyter's Markdown renders it.

    >>> inline(r"Computed by [`dL_dy`][backprop_book.loss.dL_dy], see \(y_k\).")
    'Computed by `dL_dy`, see $y_k$.'
    >>> inline("the [running example](02-network.md#running-example) and [API](../reference/loss.md)")
    'the [running example](02-network.ipynb#running-example) and API'
    >>> inline(r"\[ a \\[2pt] b \]")
    '$$ a \\\\[2pt] b $$'
    >>> inline("## The running example { #running-example }")
    '<a id="running-example"></a>\n\n## The running example'
    >>> inline("### The derivative of the sigmoid")
    '<a id="the-derivative-of-the-sigmoid"></a>\n\n### The derivative of the sigmoid'
    """
    line = AUTOREF.sub(lambda m: f"`{m[1]}`", line)

    def link(match: re.Match) -> str:
        target = match["target"]
        chapter = CHAPTER_LINK.match(target)
        if chapter:
            return f"{match['bang']}[{match['text']}]({chapter['stem']}.ipynb{chapter['fragment'] or ''})"
        if re.match(r"^(https?:|#)", target):
            return match[0]
        return f"*{match['text']}*" if match["bang"] else match["text"]  # a page of the site only

    line = LINK.sub(link, line)
    line = DELIMITER.sub(lambda m: "$" if m[1] in "()" else "$$", line)
    attrs = ATTR_LIST.search(line)
    anchor = None
    if attrs:
        line = line[: attrs.start()]
        anchor = re.search(r"#([\w-]+)", attrs["body"])
        anchor = anchor and anchor[1]
    heading = HEADING.match(line)
    if heading:  # the id the site gives it, so that links from other chapters land
        return f'<a id="{anchor or slugify(heading[1], "-")}"></a>\n\n{line}'
    return line


# ------------------------------------------------------------------ shown code that leans on hidden code


def bound_names(code: str) -> set[str]:
    """The names a block of code binds (assigns, imports, defines), by its syntax.

    >>> sorted(bound_names("import numpy as np\\nfrom a.b import c\\ndef f(x): y = x"))
    ['c', 'f', 'np', 'x', 'y']
    """
    return _names(code)[0]


def _names(code: str) -> tuple[set[str], set[str]]:
    """(names a block binds, names it reads) by its syntax; ``(set(), set())`` if it does not parse."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set(), set()
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return bound, read


def hidden_dependencies(markdown: str) -> list[tuple[str, str, str]]:
    """``(shown block, name, hidden block)``: each name a shown block reads that only a
    hidden block of its session has bound before it.

    The house rule is that shown code stands alone; a notebook, which leaves the hidden
    blocks out, fails at such a block with a NameError.

    >>> page = '''```python exec="on" session="s" id="setup"
    ... from book.show import tex
    ... ```
    ...
    ... ```python exec="on" source="above" session="s" id="shown"
    ... x = 1
    ... print(tex(x), len([x]))
    ... ```'''
    >>> hidden_dependencies(page)
    [('shown', 'tex', 'setup')]
    """
    found, hidden, shown = [], {}, set(dir(builtins))
    for block in exec_blocks(markdown):
        if block["solution"]:
            continue
        bound, read = _names(block["code"])
        if block["shown"]:
            found += [(block.get("id", ""), name, hidden[name]) for name in sorted(read - bound - shown)
                      if name in hidden]
            shown |= bound
        else:
            hidden.update({name: block.get("id", "") for name in bound if name not in shown})
    return found


# ------------------------------------------------------------------ cells


def _cell_id(wanted: str, taken: set[str]) -> str:
    """A valid nbformat id (letters, digits, ``-``, ``_``; at most 64), unique in ``taken``."""
    base = re.sub(r"[^A-Za-z0-9_-]", "-", wanted)[:60] or "cell"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def _code(source: str, cell_id: str) -> dict:
    tags = [f"requires-{name}" for name, needs in REQUIRES.items() if needs.search(source)]
    return {"cell_type": "code", "execution_count": None, "id": cell_id,
            "metadata": {"tags": tags} if tags else {}, "outputs": [], "source": source}


def _markdown(source: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}


def first_cell(chapter: str, made_from: str, pinned: str, commit: str) -> str:
    """The first cell's code: where the notebook comes from, and the install if needed.

    >>> print(first_cell("The output layer", "docs/chapters/04-output-layer.md", "0.1.0", "c06eb17"))
    ... # doctest: +ELLIPSIS
    # "The output layer", a chapter of the backprop_book book, as a notebook:
    # made from docs/chapters/04-output-layer.md with backprop_book 0.1.0 at commit c06eb17.
    # This cell installs backprop_book 0.1.0 only when another version, or none, is installed.
    ...
    if installed != "0.1.0":
        %pip install --quiet backprop_book==0.1.0
    print("backprop_book", version("backprop_book"), "| notebook made at commit c06eb17")
    """
    return "\n".join([
        f'# "{chapter}", a chapter of the {PACKAGE} book, as a notebook:',
        f"# made from {made_from} with {PACKAGE} {pinned} at commit {commit}.",
        f"# This cell installs {PACKAGE} {pinned} only when another version, or none, is installed.",
        "from importlib.metadata import PackageNotFoundError, version",
        "",
        "try:",
        f'    installed = version("{PACKAGE}")',
        "except PackageNotFoundError:",
        "    installed = None",
        f'if installed != "{pinned}":',
        f"    %pip install --quiet {PACKAGE}=={pinned}",
        f'print("{PACKAGE}", version("{PACKAGE}"), "| notebook made at commit {commit}")',
    ])


def cells(markdown: str, stem: str = "chapter") -> list[dict]:
    r"""The notebook cells of a chapter's Markdown (after the first cell), in page order.

    >>> page = '''# Title { #top }
    ...
    ... !!! note "Indices"
    ...     Say $u_{jk}$, [`f`][backprop_book.x.f].
    ...
    ... ```python exec="on" session="s" id="s-setup"
    ... hidden = 1
    ... ```
    ...
    ... ```python exec="on" source="above" session="s" id="s-shown"
    ... import numpy as np  # markdown-exec: hide
    ... print(2)
    ... ```
    ...
    ... ```python
    ... check(my_f)
    ... ```
    ...
    ... ??? success "Solution"
    ...     Worked.
    ...
    ...     ```python exec="on" source="above" session="s" id="s-solution"
    ...     print(3)
    ...     ```
    ...
    ... ```bash
    ... make test
    ... ```'''
    >>> for cell in cells(page, "01-x"):
    ...     print(cell["id"], cell["cell_type"], repr(cell["source"]))
    01-x-md-1 markdown '<a id="top"></a>\n\n# Title\n\n**Indices**\n\nSay $u_{jk}$, `f`.'
    s-shown code 'print(2)'
    01-x-code-3 code 'check(my_f)'
    01-x-md-4 markdown '```bash\nmake test\n```'
    """
    shown = {(b["file"], b["line"]): b for b in exec_blocks(markdown) if b["shown"] and not b["solution"]}
    out: list[dict] = []
    taken: set[str] = set()
    prose: list[str] = []
    boxes: list[int] = []  # indents of the open admonitions and tabs, innermost last

    def flush() -> None:
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(prose)).strip("\n")
        prose.clear()
        if text.strip():
            out.append(_markdown(text, _cell_id(f"{stem}-md-{len(out) + 1}", taken)))

    for part in parts(markdown):
        if SOLUTION in part["folded"]:
            continue
        if part["kind"] == "fence":
            block = shown.get((part["file"], part["line"]))
            if block is not None:
                flush()
                out.append(_code(block["code"], _cell_id(block.get("id") or f"{stem}-code-{len(out) + 1}", taken)))
            elif part.get("exec", "").lower() in ON:
                continue  # hidden: presentation only
            elif part["lang"] in PYTHON:
                flush()
                out.append(_code(part["code"], _cell_id(f"{stem}-code-{len(out) + 1}", taken)))
            else:
                fence = "````" if "```" in part["code"] else "```"
                prose.extend(["", f"{fence}{part['lang']}", part["code"], fence, ""])
            continue
        line = part["text"]
        if SNIPPET.match(line):
            continue  # a snippet that named no file: nothing for a reader
        if line.strip():
            indent = len(line) - len(line.lstrip())
            boxes = [d for d in boxes if indent > d]
        folded = DETAILS.match(line)
        if folded and folded["title"] == SOLUTION:
            continue
        box = ADMONITION.match(line) or TAB.match(line)
        if box:
            title = box["title"] if box["title"] is not None else box.groupdict().get("kind", "").title()
            prose.extend(["", f"**{title}**" if title else "", ""])
            boxes.append(len(box["indent"]))
            continue
        depth = 4 * len(boxes)
        line = line[depth:] if line[:depth].strip() == "" else line.lstrip()
        prose.append(inline(line))
    flush()
    return out


def notebook(path: Path, pinned: str | None = None, commit: str | None = None) -> str:
    """The notebook of the chapter at ``path`` as nbformat 4.5 JSON text.

    >>> import json
    >>> nb = json.loads(notebook(REPO / "docs" / "chapters" / "04-output-layer.md", "0.1.0", "abc"))
    >>> nb["nbformat"], nb["cells"][0]["id"], "backprop_book==0.1.0" in nb["cells"][0]["source"]
    (4, 'backprop-book-version', True)
    >>> nb["cells"][1]["source"].splitlines()[2]
    '# The output layer'
    """
    markdown = path.read_text(encoding="utf-8")
    pinned = pinned or package_version()
    commit = commit or git_commit()
    title = next((line[2:].strip() for line in markdown.splitlines() if line.startswith("# ")), path.stem)
    title = inline(title).split("\n")[-1].lstrip("# ").strip()
    try:
        made_from = path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        made_from = path.name
    first = _code(first_cell(title, made_from, pinned, commit), "backprop-book-version")
    nb = {
        "cells": [first] + cells(markdown, path.stem),
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "backprop_book": {"version": pinned, "commit": commit, "chapter": made_from, "title": title},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
