"""book.parse: the one reader of the book's conventions, and its callers agreeing by construction.

The build hooks, tests/test_equations.py, tests/test_site.py, the browser tests,
tests/test_exercises.py and Chapter 10's inventory all read the chapters with
book.parse; the last tests here check that they report the same counts.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from book import parse
from book.figures import ch10_checks

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = REPO / "docs" / "chapters"


def _hook(name: str):
    """A build hook, imported from its file as MkDocs imports it."""
    spec = importlib.util.spec_from_file_location(f"hook_{name}", REPO / "docs" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- exec blocks

PAGE = '''# A page

```python exec="on" session="ch04" id="ch04-setup"
import numpy as np  # markdown-exec: hide
x = 1
```

````markdown
```python exec="on" id="an-example-not-run"
shown as text only
```
````

??? success "Solution"
    Prose.

    ```python exec="on" source="above" session="ch04" result="text" id="ch04-solution"
    print(x)
    ```

??? note "Hint"
    ```python exec="on" source="below" session="ch04" id="ch04-hint"
    print(2)
    ```

```python exec="on" session="ch04" id="ch04-after" source="off"
y = 2
```

~~~python
not = "executed"
~~~
'''


def test_exec_blocks_read_what_markdown_exec_runs():
    blocks = parse.exec_blocks(PAGE)
    assert [b["id"] for b in blocks] == ["ch04-setup", "ch04-solution", "ch04-hint", "ch04-after"]
    assert [b["line"] for b in blocks] == [3, 17, 22, 26]
    assert blocks[0]["code"] == "x = 1", "a hidden line stays out of the code"
    assert blocks[1]["code"] == "print(x)", "the fence's indent is removed"
    assert [b["shown"] for b in blocks] == [False, True, True, False]
    assert [b["solution"] for b in blocks] == [False, True, False, False]
    assert blocks[1]["result"] == "text" and blocks[1]["session"] == "ch04"
    assert {b["file"] for b in blocks} == {""}


def test_exec_blocks_keep_the_page_as_it_is():
    before = PAGE
    parse.exec_blocks(PAGE)
    assert PAGE == before


def test_a_solution_ends_where_its_indent_ends():
    page = '??? success "Solution"\n    text\n\n```python exec="on" id="after"\n1\n```\n'
    assert [b["solution"] for b in parse.exec_blocks(page)] == [False]


def test_snippets_are_expanded_and_blocks_name_their_file():
    rel = "docs/chapters/exercises/04-output-layer.md"
    included = parse.exec_blocks(f'Intro\n--8<-- "{rel}"\n')
    direct = parse.exec_blocks((REPO / rel).read_text(encoding="utf-8"))
    assert included and [b["id"] for b in included] == [b["id"] for b in direct]
    assert {b["file"] for b in included} == {rel}
    lines = (REPO / rel).read_text(encoding="utf-8").splitlines()
    for block in included:
        assert 'exec="on"' in lines[block["line"] - 1] and block["id"] in lines[block["line"] - 1]
    assert any(b["solution"] for b in included), "exercise solutions sit in folded admonitions"


def test_a_missing_snippet_is_left_for_the_build_to_report():
    assert parse.expand_snippets('a\n--8<-- "no/such.md"\nb') == 'a\n--8<-- "no/such.md"\nb'


# ---------------------------------------------------------------- equations

EQUATIONS = r"""
<a id="eq-4-4"></a>
$$
\delta_k = (y_k - t_k)\, y_k (1 - y_k) \tag{4.4}
$$
Computed by [`output_delta`][backprop_book.output_layer.output_delta], from
[`dL_dy`][backprop_book.loss.dL_dy].

<a id="eq-4-5"></a>
$$ g = \delta h \tag{4.6} $$

Computed by [`weight_gradient`][backprop_book.output_layer.weight_gradient].

<a id="eq-4-7"></a>
$$ x $$
Some prose first. Computed by [`f`][backprop_book.f].

```markdown
<a id="eq-9-9"></a>
$$ inside a code fence \tag{9.9} $$
{#eq-9-8}
```

$$ z \tag{4.8} $$
"""


def test_equations_read_anchor_tag_and_computed_by():
    found = parse.equations(EQUATIONS)
    assert [e.number for e in found] == ["4.4", "4.5", "4.7"], "an anchor in a code fence is not one"
    assert [e.tag for e in found] == ["4.4", "4.6", None]
    assert [e.line for e in found] == [2, 9, 14]
    assert found[0].computed_by == "backprop_book.output_layer.output_delta"
    assert [t for _, t in found[0].links] == ["backprop_book.output_layer.output_delta",
                                              "backprop_book.loss.dL_dy"]
    assert found[1].computed_by == "backprop_book.output_layer.weight_gradient", "blank lines may come first"
    assert found[2].computed_by == "", "the link must open the first line after the display"


def test_a_tag_outside_an_anchored_display_is_an_orphan():
    assert parse.orphan_tags(EQUATIONS) == [(24, r"$$ z \tag{4.8} $$")]


@pytest.mark.parametrize("line", ["## Sigmoid {#eq-3-2}", "## Sigmoid { #eq-3-2 .x }", "$$ a $$ {: #eq-3-2 }",
                                  '<span id="eq-3-2"></span>', "<a id='eq-3-2' class=x></a>"])
def test_only_one_anchor_form_is_accepted(line):
    assert parse.stray_anchors(f"text\n{line}\n") == [(2, line)]
    assert not parse.equations(f"{line}\n$$ a \\tag{{3.2}} $$\n")


@pytest.mark.parametrize("line", ['<a id="eq-3-2"></a>', "<a id='eq-3-2'></a>", "see [(3.2)](#eq-3-2)",
                                  '<a class="eq-ref" href="../x/#eq-3-2">(3.2)</a>'])
def test_the_anchor_and_links_to_it_are_not_stray(line):
    assert parse.stray_anchors(line) == []


def test_the_build_rejects_the_other_anchor_form(tmp_path):
    equations_hook = _hook("equations")
    (tmp_path / "03-x.md").write_text("## Sigmoid {#eq-3-2}\n$$ s \\tag{3.2} $$\n", encoding="utf-8")
    with pytest.raises(PluginError, match=r'03-x.md:1: write an equation\'s anchor as <a id="eq-N-M"></a>'):
        equations_hook.scan_chapters(tmp_path)


def test_the_build_rejects_an_anchor_defined_twice(tmp_path):
    equations_hook = _hook("equations")
    for name in ("03-x.md", "04-y.md"):
        (tmp_path / name).write_text('<a id="eq-3-2"></a>\n$$ s \\tag{3.2} $$\n', encoding="utf-8")
    with pytest.raises(PluginError, match="eq-3-2 is defined twice"):
        equations_hook.scan_chapters(tmp_path)


def test_chapters_are_the_numbered_files_only(tmp_path):
    for name in ("02-b.md", "01-a.md", "index.md", "1-short.md"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in parse.chapters(tmp_path)] == ["01-a.md", "02-b.md"]
    assert parse.chapters(tmp_path / "missing") == []


# ---------------------------------------------------------------- the doctest walk


def test_the_walk_recurses_into_subpackages():
    names = [m.__name__ for m in parse.package_modules("backprop_book")]
    exercises = REPO / "src" / "backprop_book" / "exercises"
    on_disk = {f"backprop_book.exercises.{p.stem}" for p in exercises.glob("*.py") if p.stem != "__init__"}
    assert on_disk and on_disk <= set(names)
    assert names[0] == "backprop_book" and len(names) == len(set(names))


def test_a_fresh_walk_imports_again():
    first = parse.package_modules("book")
    again = parse.package_modules("book", fresh=True)
    assert [m.__name__ for m in first] == [m.__name__ for m in again]
    assert first[0] is not again[0]


def test_doctests_are_the_docstrings_with_examples():
    import book.show

    tests = parse.doctests(book.show)
    assert tests and all(t.examples for t in tests)
    assert "book.show.num" in {t.name for t in tests}
    assert [t.name for t in tests] == sorted(t.name for t in tests)


# ---------------------------------------------------------------- every caller agrees


def test_hook_registry_test_and_chapter_10_count_the_same():
    import test_equations
    import test_site

    anchors, _, hook_blocks = _hook("equations").scan_chapters(CHAPTERS)
    registry = ch10_checks.equation_registry(CHAPTERS)
    assert len(anchors) == len(test_equations.EQUATIONS) == len(registry) > 0
    assert {r["number"]: r["function"] for r in registry} == {
        e.number: e.eq.computed_by for e in test_equations.EQUATIONS}
    site_blocks = sum(len(b) for b in test_site.CHAPTER_BLOCKS.values())
    assert hook_blocks == ch10_checks.exec_block_count(CHAPTERS) == site_blocks > 0


def test_the_doctest_hook_and_chapter_10_walk_the_same_modules():
    rows = ch10_checks.doctest_inventory("backprop_book")
    assert [r[0] for r in rows] == [m.__name__ for m in parse.package_modules(_hook("doctests").PACKAGE)]
