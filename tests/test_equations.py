"""Equation, function, test: one registry that the book and the package must both keep.

A numbered equation is written in a chapter as an anchor followed by a display with the
same number in its tag::

    <a id="eq-4-4"></a>
    $$
    \\delta_j = (y_j - t_j)\\, y_j (1 - y_j) \\tag{4.4}
    $$
    Computed by [`output_delta`][backprop_book.output_layer.output_delta]:

The chapters are read with ``book.parse``, as the build hook and Chapter 10 read them.
A public function names the equation it implements in its docstring: "Equation (4.4)".
These tests read both sides and fail when they drift apart: an equation no function
implements, a function that implements no equation of the book, a citation of an
equation that does not exist, a tag that disagrees with its anchor, an equation whose
page does not link to its function, an anchor written another way than
``<a id="eq-N-M"></a>``, or a public function that no test uses.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import backprop_book
from book import parse

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = parse.chapters(REPO / "docs" / "chapters")
TESTS = REPO / "tests"

# Public names that are not an equation. Each must instead point at a heading anchor
# that exists (the explicit, short list of exceptions).
NOT_EQUATIONS = {
    "running_example": ("02-network.md", "running-example"),
    "Example": ("02-network.md", "running-example"),
}

CITES = re.compile(r"Equation \((\d+\.\d+)\)")  # "Equation (4.4)": this function implements it
MENTION = re.compile(r"\((\d+\.\d+)\)")
MENTIONS = re.compile(r"Equations?\s+\(\d+\.\d+\)(?:(?:\s*,\s*|,?\s+and\s+|,?\s+or\s+)\(\d+\.\d+\))*")


@dataclass
class Equation:
    """An equation as book.parse reads it (the build hook and Chapter 10 read the same), and its file."""

    chapter: Path
    eq: parse.Equation

    @property
    def number(self) -> str:
        return self.eq.number

    @property
    def where(self) -> str:
        return f"{self.chapter.name}:{self.eq.line}"


PAGES = {chapter: chapter.read_text(encoding="utf-8") for chapter in CHAPTERS}
EQUATIONS = [Equation(chapter, eq) for chapter, text in PAGES.items() for eq in parse.equations(text)]
TAGS_WITHOUT_ANCHOR = [f"{c.name}:{n}: {line}" for c, text in PAGES.items() for n, line in parse.orphan_tags(text)]
STRAY_ANCHORS = [f"{c.name}:{n}: {line}" for c, text in PAGES.items() for n, line in parse.stray_anchors(text)]
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


def test_every_anchor_is_written_the_one_way():
    assert not STRAY_ANCHORS, 'write an equation\'s anchor as <a id="eq-N-M"></a> before its display:\n' + \
        "\n".join(STRAY_ANCHORS)


def test_every_tag_agrees_with_its_anchor():
    wrong = [f"{e.where}: anchor eq-{e.number.replace('.', '-')} but \\tag{{{e.eq.tag}}}"
             for e in EQUATIONS if e.eq.tag != e.number]
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
    for text, target in eq.eq.links:
        module_path, _, name = target.rpartition(".")
        if not target.startswith("backprop_book."):
            continue
        obj = PUBLIC.get(name)
        assert obj is not None, f"{eq.where}: [{text}][{target}] links to no public function"
        assert obj.__module__ == module_path, f"{eq.where}: {target} should be {obj.__module__}.{name}"
    linked = eq.eq.computed_by.rpartition(".")[2]
    assert linked in implementers, (
        f"({number}) at {eq.where}: the first non-blank line after its display must say "
        f"'Computed by [`name`][module.name]' for one of "
        f"{sorted(implementers) or 'its implementing functions'}; found {eq.eq.computed_by or 'no such link'}"
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
