"""Equation, function, test: one registry that the book and the package must both keep.

A numbered equation is written in a chapter as an anchor followed by a display with the
same number in its tag::

    <a id="eq-4-4"></a>
    $$
    \\delta_j = (y_j - t_j)\\, y_j (1 - y_j) \\tag{4.4}
    $$
    Computed by [`output_delta`][backprop_book.output_layer.output_delta]:

A public function names the equation it implements in its docstring: "Equation (4.4)".
These tests read both sides and fail when they drift apart: an equation no function
implements, a function that implements no equation of the book, a citation of an
equation that does not exist, a tag that disagrees with its anchor, an equation whose
page does not link to its function, or a public function that no test uses.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import backprop_book

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((REPO / "docs" / "chapters").glob("[0-9][0-9]-*.md"))
TESTS = REPO / "tests"

# Public names that are not an equation. Each must instead point at a heading anchor
# that exists (the explicit, short list of exceptions).
NOT_EQUATIONS = {
    "running_example": ("02-network.md", "running-example"),
    "Example": ("02-network.md", "running-example"),
}

ANCHOR = re.compile(r"""<a\s+id=["']eq-(\d+)-(\d+)["']\s*>\s*</a>""")
ANY_EQ_ID = re.compile(r"""eq-\d+-\d+""")
TAG = re.compile(r"\\tag\{([^}]*)\}")
CITES = re.compile(r"Equation \((\d+\.\d+)\)")  # "Equation (4.4)": this function implements it
MENTION = re.compile(r"\((\d+\.\d+)\)")
MENTIONS = re.compile(r"Equations?\s+\(\d+\.\d+\)(?:(?:\s*,\s*|,?\s+and\s+|,?\s+or\s+)\(\d+\.\d+\))*")
AUTOREF = re.compile(r"\[`?([\w.]+)`?\]\[(backprop_book(?:\.\w+)+)\]")

NEAR = 15  # lines after an equation's display in which its function's link must appear


@dataclass
class Equation:
    number: str  # "4.4", from the anchor
    chapter: Path
    line: int  # 1-based line of the anchor
    tag: str | None  # the \tag{...} of the display right after the anchor
    after: str  # the text following the display, up to the next equation (at most NEAR lines)

    @property
    def where(self) -> str:
        return f"{self.chapter.name}:{self.line}"


def _equations() -> tuple[list[Equation], list[str]]:
    """Every anchored equation of the chapters, and every \\tag that has no anchor before it."""
    found, untagged = [], []
    for chapter in CHAPTERS:
        lines = chapter.read_text(encoding="utf-8").splitlines()
        anchored_tags = set()
        for i, line in enumerate(lines):
            match = ANCHOR.search(line)
            if not match:
                continue
            number = f"{int(match[1])}.{int(match[2])}"
            tag, j = None, i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            end = j
            if j < len(lines) and lines[j].strip().startswith("$$"):
                k, first = j, lines[j].strip()
                if not (len(first) > 2 and first.endswith("$$")):  # $$ on its own line
                    k = j + 1
                    while k < len(lines) and not lines[k].strip().endswith("$$"):
                        k += 1
                end = k + 1
                tags = TAG.findall("\n".join(lines[j:end]))
                tag = tags[0].strip() if tags else None
                anchored_tags.update(range(j, end))
            rest = []
            for k in range(end, min(end + NEAR, len(lines))):
                if ANCHOR.search(lines[k]):
                    break
                rest.append(lines[k])
            found.append(Equation(number, chapter, i + 1, tag, "\n".join(rest)))
        for i, line in enumerate(lines):
            if TAG.search(line) and i not in anchored_tags:
                untagged.append(f"{chapter.name}:{i + 1}: {line.strip()}")
    return found, untagged


EQUATIONS, TAGS_WITHOUT_ANCHOR = _equations()
DEFINED = {e.number: e for e in EQUATIONS}
PUBLIC = {name: getattr(backprop_book, name) for name in backprop_book.__all__}
DOCS = {name: inspect.getdoc(obj) or "" for name, obj in PUBLIC.items()}
CITED_BY = {name: set(CITES.findall(doc)) for name, doc in DOCS.items()}
MENTIONED_BY = {
    name: {n for m in MENTIONS.finditer(doc) for n in MENTION.findall(m[0])} for name, doc in DOCS.items()
}


def _test_sources() -> dict[Path, str]:
    own = {Path(__file__).resolve(), (TESTS / "test_site.py").resolve()}  # these list names, not use them
    return {p: p.read_text(encoding="utf-8") for p in sorted(TESTS.rglob("*.py")) if p.resolve() not in own}


def test_the_chapters_number_their_equations():
    assert EQUATIONS, "no chapter defines a numbered equation (<a id=\"eq-N-M\"></a> before a $$ display)"


def test_no_equation_anchor_is_defined_twice():
    seen: dict[str, str] = {}
    twice = []
    for eq in EQUATIONS:
        if eq.number in seen:
            twice.append(f"eq-{eq.number.replace('.', '-')} at {seen[eq.number]} and {eq.where}")
        seen[eq.number] = eq.where
    assert not twice, twice


def test_every_tag_agrees_with_its_anchor():
    wrong = [f"{e.where}: anchor eq-{e.number.replace('.', '-')} but \\tag{{{e.tag}}}"
             for e in EQUATIONS if e.tag != e.number]
    assert not wrong, "\n".join(wrong)


def test_every_tag_has_an_anchor():
    assert not TAGS_WITHOUT_ANCHOR, "numbered displays without an <a id=\"eq-N-M\"></a> right before:\n" + \
        "\n".join(TAGS_WITHOUT_ANCHOR)


def test_each_equation_lives_in_its_own_chapter():
    wrong = [f"{e.where}: eq {e.number}" for e in EQUATIONS
             if int(e.number.split(".")[0]) != int(e.chapter.name[:2])]
    assert not wrong, f"equation N.M must be defined in chapter N: {wrong}"


@pytest.mark.parametrize("number", sorted(DEFINED, key=lambda n: tuple(map(int, n.split(".")))))
def test_every_numbered_equation_has_a_function(number):
    implementers = [name for name, cited in CITED_BY.items() if number in cited]
    assert implementers, (
        f"equation ({number}) at {DEFINED[number].where} is implemented by no public function "
        f"(no docstring in backprop_book.__all__ says 'Equation ({number})')"
    )


@pytest.mark.parametrize("number", sorted(DEFINED, key=lambda n: tuple(map(int, n.split(".")))))
def test_every_numbered_equation_links_to_its_function(number):
    eq = DEFINED[number]
    implementers = {name for name, cited in CITED_BY.items() if number in cited}
    links = AUTOREF.findall(eq.after)
    linked = set()
    for text, target in links:
        module_path, _, name = target.rpartition(".")
        obj = PUBLIC.get(name)
        assert obj is not None, f"{eq.where}: [{text}][{target}] links to no public function"
        assert obj.__module__ == module_path, f"{eq.where}: {target} should be {obj.__module__}.{name}"
        linked.add(name)
    assert linked & implementers, (
        f"({number}) at {eq.where}: within {NEAR} lines after its display, link to one of "
        f"{sorted(implementers) or 'its implementing functions'} as [`name`][module.name]; found {links}"
    )


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_function_cites_an_equation_of_the_book(name):
    if name in NOT_EQUATIONS:
        chapter, anchor = NOT_EQUATIONS[name]
        text = (REPO / "docs" / "chapters" / chapter).read_text(encoding="utf-8")
        heading_id = r"\{[^}\n]*#" + re.escape(anchor) + r"[\s}]|id=[\"']" + re.escape(anchor) + "[\"']"
        assert re.search(heading_id, text), (
            f"{name} is not an equation; it must point at #{anchor} in {chapter}, which is missing "
            f"(write e.g. '## The running example {{ #{anchor} }}')"
        )
        assert not CITED_BY[name], f"{name} is listed as not an equation but cites {CITED_BY[name]}"
        return
    assert CITED_BY[name], f"{name}'s docstring names no equation ('Equation (N.M)')"
    missing = sorted(CITED_BY[name] - set(DEFINED))
    assert not missing, f"{name} cites equations no chapter defines: {missing}"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_equation_a_docstring_mentions_exists(name):
    missing = sorted(MENTIONED_BY[name] - CITED_BY[name] - set(DEFINED))  # citations: test above
    assert not missing, f"{name}'s docstring mentions equations no chapter defines: {missing}"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_function_is_used_by_a_test(name):
    word = re.compile(rf"\b{re.escape(name)}\b")
    users = [p.relative_to(REPO).as_posix() for p, text in _test_sources().items() if word.search(text)]
    assert users, f"no test file under tests/ uses {name}"


def test_the_exceptions_stay_few():
    assert set(NOT_EQUATIONS) <= set(PUBLIC), "an exception names something that is not public"
    assert len(NOT_EQUATIONS) <= 3
