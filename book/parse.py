r"""How the book's Markdown is read: the ONE parser of each of its conventions.

The build hooks (``docs/hooks/``), the tests and Chapter 10's inventory all read
the chapters through these functions, so what they count cannot disagree:

- **exec blocks**: markdown-exec fences (``exec="on"``), snippets expanded the way
  ``pymdownx.snippets`` does (paths from the repository root);
- **numbered equations**: the anchor ``<a id="eq-N-M"></a>``, the ``$$`` display
  right after it carrying ``\tag{N.M}``, and the "Computed by" link that opens the
  first non-blank line after the display. ``{#eq-N-M}`` (attr_list) is *not*
  accepted: :func:`stray_anchors` finds it so that the build and the tests reject it;
- **the doctest walk**: a package and every submodule, subpackages included, and
  the docstrings among them that hold examples.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
CHAPTER_GLOB = "[0-9][0-9]-*.md"  # docs/chapters/NN-topic.md; exercises/ and others are not chapters

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")
SNIPPET = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+["'](?P<path>[^"']+)["'][ \t]*$""")
ATTR = re.compile(r"""(\w+)=("[^"]*"|'[^']*'|\S+)""")
ON = {"on", "1", "true", "yes"}
OFF = {"", "off", "false", "0", "no"}
HIDE = "markdown-exec: hide"
# A collapsible admonition (pymdownx.details): ??? or ???+, its kind and its title.
DETAILS = re.compile(r"""^(?P<indent>[ \t]*)\?\?\?\+?[ \t]+(?P<kind>[\w-]+)(?:[ \t]+"(?P<title>[^"]*)")?""")
SOLUTION = "Solution"

ANCHOR = re.compile(r"""<a\s+id=["']eq-(\d+)-(\d+)["']\s*>\s*</a>""")
# Any other way to give an element the id eq-N-M: attr_list's {#eq-N-M}, or id= on another tag.
OTHER_ANCHOR = re.compile(r"""\{[^}\n]*#eq-\d+-\d+[^}\n]*\}|\bid=["']eq-\d+-\d+["']""")
TAG = re.compile(r"\\tag\{([^}]*)\}")
AUTOREF = re.compile(r"\[`?([\w.]+)`?\]\[(\w+(?:\.\w+)+)\]")  # [`name`][package.module.name]
COMPUTED_BY = re.compile(r"^\s*Computed by " + AUTOREF.pattern)


# ------------------------------------------------------------------ snippets


def _lines(text: str, origin: str = "", depth: int = 0) -> list[tuple[str, str, int]]:
    """``(line, file it came from, its line number there)`` with snippets inlined."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        match = SNIPPET.match(line)
        target = REPO / match["path"] if match else None
        if target is not None and target.is_file() and depth < 5:
            out += _lines(target.read_text(encoding="utf-8"), match["path"], depth + 1)
        else:
            out.append((line, origin, number))
    return out


def expand_snippets(text: str) -> str:
    """Inline ``--8<-- "file"`` lines (pymdownx.snippets, base path: the repository root).

    A line naming no file is kept as it is, as the build would report it.

    >>> expand_snippets('a\\n--8<-- "book/__init__.py"\\nb').splitlines()[1]
    '\"\"\"The book\\'s own build code: how its pages are read, drawn and checked.'
    >>> expand_snippets('--8<-- "no/such/file.md"')
    '--8<-- "no/such/file.md"'
    """
    return "\n".join(line for line, _, _ in _lines(text))


# ------------------------------------------------------------------ exec blocks


def parts(markdown: str) -> list[dict]:
    """A page split into its Markdown lines and its fences, in order, snippets expanded.

    Each part is a dict with ``kind`` ``"text"`` (one line: ``text``) or ``"fence"``
    (``lang``, the info string's first word; its attributes as in :func:`exec_blocks`;
    ``code``, the body dedented to the fence; ``indent``); both carry ``file`` and
    ``line`` (where it came from, 1-based) and ``folded``: the titles of the collapsible
    admonitions (``??? kind "Title"``) it sits in, outermost first. A ``???`` line is a
    text part of its own, folded in its parents only.

    >>> page = 'Text.\\n\\n??? success "Solution"\\n    ```py title="x"\\n    print(1)\\n    ```\\nEnd.'
    >>> [(p["kind"], p["line"], p.get("text", p.get("code")), p["folded"]) for p in parts(page)]
    [('text', 1, 'Text.', []), ('text', 2, '', []), ('text', 3, '??? success "Solution"', []),
     ('fence', 4, 'print(1)', ['Solution']), ('text', 7, 'End.', [])]
    >>> parts('```python exec="on" id="a"\\nx = 1\\n```')[0]["lang"], parts('~~~\\nx\\n~~~')[0]["lang"]
    ('python', '')
    """
    found, lines, i = [], _lines(markdown), 0
    details: list[tuple[int, str]] = []  # open collapsible admonitions: (indent, title)
    while i < len(lines):
        text, origin, number = lines[i]
        i += 1
        if text.strip():
            indent = len(text) - len(text.lstrip())
            details = [(d, title) for d, title in details if indent > d]
        where = {"file": origin, "line": number, "folded": [title for _, title in details]}
        folded = DETAILS.match(text)
        opening = None if folded else FENCE.match(text)
        if not opening:
            found.append({"kind": "text", "text": text, **where})
            if folded:
                details.append((len(folded["indent"]), folded["title"] or ""))
            continue
        fence, indent = opening["fence"], opening["indent"]
        body = []
        while i < len(lines):
            closing = FENCE.match(lines[i][0])
            if closing and closing["fence"].startswith(fence) and not closing["info"].strip():
                break
            line = lines[i][0]
            body.append(line[len(indent):] if line.startswith(indent) else line)
            i += 1
        i += 1
        info = opening["info"].strip()
        attrs = {k: v.strip("\"'") for k, v in ATTR.findall(info)}
        lang = info.split()[0].lstrip(".{") if info and "=" not in info.split()[0] else ""
        found.append({**attrs, "kind": "fence", "lang": lang, "code": "\n".join(body),
                      "indent": indent, **where})
    return found


def exec_blocks(markdown: str) -> list[dict]:
    """Each ``exec="on"`` fence of a page, snippets expanded, in page order (see :func:`fences`).

    A block is its fence's attributes (``id``, ``session``, ``source``, ...) plus
    ``code`` (dedented, ``# markdown-exec: hide`` lines dropped), ``file`` (the
    snippet it came from, ``""`` for the page itself), ``line`` (1-based, of the
    opening fence in that file), ``shown`` (``source=`` shows the code to the
    reader) and ``solution`` (it sits in a folded ``??? success "Solution"``).

    >>> page = '''Text.
    ...
    ... ```python exec="on" session="ch04" id="ch04-setup"
    ... import numpy as np  # markdown-exec: hide
    ... x = 1
    ... ```
    ...
    ... ??? success "Solution"
    ...     ```python exec="on" source="above" session="ch04" id="ch04-ex"
    ...     print(x)
    ...     ```
    ...
    ... ```python
    ... not executed
    ... ```'''
    >>> [(b["id"], b["line"], b["code"], b["shown"], b["solution"]) for b in exec_blocks(page)]
    [('ch04-setup', 3, 'x = 1', False, False), ('ch04-ex', 9, 'print(x)', True, True)]
    """
    return [{k: v for k, v in b.items() if k != "lang"} for b in fences(markdown) if b["executed"]]


def fences(markdown: str) -> list[dict]:
    """Every fenced block of a page, snippets expanded, in page order, executed or not.

    Each carries what :func:`exec_blocks` gives an executed one, plus ``lang`` (the
    first word of the info string, ``""`` if none) and ``executed``.

    >>> page = "```python\\nprint(1)\\n```\\n```text\\nout\\n```"
    >>> [(b["lang"], b["executed"], b["code"]) for b in fences(page)]
    [('python', False, 'print(1)'), ('text', False, 'out')]
    """
    blocks = []
    for part in parts(markdown):
        if part["kind"] != "fence":
            continue
        executed = part.get("exec", "").lower() in ON
        attrs = {k: v for k, v in part.items() if k not in {"kind", "indent", "folded"}}
        attrs.update(
            code="\n".join(b for b in part["code"].split("\n") if not (executed and HIDE in b)),
            executed=executed,
            shown=attrs.get("source", "").lower() not in OFF,
            solution=SOLUTION in part["folded"],
        )
        blocks.append(attrs)
    return blocks


def outside_fences(markdown: str):
    """``(line number, line)`` of the lines that are Markdown: neither a fence nor inside one.

    >>> list(outside_fences("a\\n```python\\n$$ code $$\\n```\\nb"))
    [(1, 'a'), (5, 'b')]
    """
    fence = None
    for number, line in enumerate(markdown.splitlines(), 1):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match["fence"]
        elif fence is not None:
            if match and match["fence"].startswith(fence) and not match["info"].strip():
                fence = None
        else:
            yield number, line


# ------------------------------------------------------------------ equations


@dataclass
class Equation:
    """A numbered equation: anchor, display and the link to the function computing it."""

    number: str  # "4.4", from the anchor eq-4-4
    line: int  # 1-based line of the anchor
    tag: str | None  # the first \tag{...} of the display right after the anchor
    computed_by: str = ""  # the autorefs target of "Computed by [`f`][target]" after the display
    links: list[tuple[str, str]] = field(default_factory=list)  # every [text][target] in that paragraph
    display: tuple[int, int] = (0, 0)  # 1-based first and last line of the $$ display


def equations(markdown: str) -> list[Equation]:
    r"""Every anchored equation of a page, in order (lines inside code fences are not read).

    The link belongs to the equation when it opens the first non-blank line after
    the display; the rest of that paragraph may hold more links.

    >>> page = r'''<a id="eq-4-4"></a>
    ... $$
    ... \delta_k = (y_k - t_k) \tag{4.4}
    ... $$
    ... Computed by [`output_delta`][pkg.mod.output_delta], from [`dL_dy`][pkg.loss.dL_dy].
    ...
    ... <a id="eq-4-5"></a>
    ... $$ g \tag{4.6} $$
    ...
    ... Prose first. Computed by [`f`][pkg.f].'''
    >>> [(e.number, e.line, e.tag, e.computed_by, len(e.links)) for e in equations(page)]
    [('4.4', 1, '4.4', 'pkg.mod.output_delta', 2), ('4.5', 7, '4.6', '', 0)]
    """
    lines = dict(outside_fences(markdown))
    numbers, found = sorted(lines), []
    for n in numbers:
        match = ANCHOR.search(lines[n])
        if not match:
            continue
        eq = Equation(f"{int(match[1])}.{int(match[2])}", n, None)
        j = n + 1
        while j in lines and not lines[j].strip():
            j += 1
        if j in lines and lines[j].strip().startswith("$$"):
            k, first = j, lines[j].strip()
            if not (len(first) > 2 and first.endswith("$$")):  # $$ on a line of its own
                k = j + 1
                while k in lines and not lines[k].strip().endswith("$$"):
                    k += 1
            tags = TAG.findall("\n".join(lines.get(m, "") for m in range(j, k + 1)))
            eq.tag, eq.display = (tags[0].strip() if tags else None), (j, k)
            after = k + 1
            while after in lines and not lines[after].strip():
                after += 1
            paragraph = []
            while after in lines and lines[after].strip() and not ANCHOR.search(lines[after]):
                paragraph.append(lines[after])
                after += 1
            link = COMPUTED_BY.match(paragraph[0]) if paragraph else None
            eq.computed_by = link[2] if link else ""
            eq.links = AUTOREF.findall("\n".join(paragraph)) if link else []
        found.append(eq)
    return found


def orphan_tags(markdown: str) -> list[tuple[int, str]]:
    r"""``(line, text)`` of each ``\tag`` outside the display of an anchored equation.

    >>> orphan_tags('<a id="eq-1-1"></a>\n$$ a \\tag{1.1} $$\n\n$$ b \\tag{1.2} $$')
    [(4, '$$ b \\tag{1.2} $$')]
    """
    inside = {m for e in equations(markdown) for m in range(e.display[0], e.display[1] + 1)}
    return [(n, line.strip()) for n, line in outside_fences(markdown)
            if TAG.search(line) and n not in inside]


def stray_anchors(markdown: str) -> list[tuple[int, str]]:
    """``(line, text)`` of each equation id written in a form the book does not accept.

    The one accepted form is ``<a id="eq-N-M"></a>`` on the line before the display.

    >>> stray_anchors('## Title {#eq-4-4}\\n<a id="eq-4-5"></a>\\n<span id="eq-4-6">x</span>')
    [(1, '## Title {#eq-4-4}'), (3, '<span id="eq-4-6">x</span>')]
    """
    return [(n, line.strip()) for n, line in outside_fences(markdown)
            if OTHER_ANCHOR.search(ANCHOR.sub("", line))]


def chapters(folder: Path = REPO / "docs" / "chapters") -> list[Path]:
    """The chapter files, ``NN-topic.md``, in order (none when the folder is missing).

    >>> [p.name for p in chapters()][:2]
    ['01-motivation.md', '02-network.md']
    """
    return sorted(folder.glob(CHAPTER_GLOB)) if folder.is_dir() else []


# ------------------------------------------------------------------ the doctest walk


def package_modules(package: str, fresh: bool = False) -> list[ModuleType]:
    """A package and every module under it, subpackages included, in walk order.

    ``fresh`` drops earlier imports first, so an edited file is read again (the
    build hook's case under ``mkdocs serve``). An import error propagates.

    >>> names = [m.__name__ for m in package_modules("backprop_book")]
    >>> names[0], "backprop_book.exercises.runner" in names
    ('backprop_book', True)
    """
    if fresh:
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
        importlib.invalidate_caches()
    root = importlib.import_module(package)
    return [root] + [importlib.import_module(info.name)
                     for info in pkgutil.walk_packages(root.__path__, prefix=package + ".")]


def doctests(module: ModuleType) -> list[doctest.DocTest]:
    """The docstrings of a module that hold examples, by name.

    >>> import book.show
    >>> tests = doctests(book.show)
    >>> tests[0].name, all(t.examples for t in tests)
    ('book.show.display', True)
    """
    found = doctest.DocTestFinder(exclude_empty=True).find(module)
    return sorted((t for t in found if t.examples), key=lambda t: t.name)
