"""One notation (issue 11): the chapters, their exercises, the API pages and every docstring
use the book's letters, and the source's letters appear only inside the notes that compare
with the source (admonitions titled "The source's notation").

The patterns live in ``book/notation.py`` next to the list Chapter 2's notation table is
generated from. They are the ones that cannot be a legitimate use of the book's letters:
``u_{ij}`` for an output weight, ``y_i``/``t_i`` (``i`` counts inputs), ``L`` as a layer
count, ``n`` as a sample index or batch size, ``theta_s`` for a step, and, in Chapter 4 and
the output-side docstrings, ``j`` for an output (``delta_j``, ``y_j``).

Files that still break a rule and belong to another part of issue 11 are listed in
``NOT_YET``, strictly: fixing one turns its xfail into a failure that asks to remove it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import backprop_book
from book.notation import EVERYWHERE, OUTPUT_SIDE, SYMBOLS, evaluate, hits, notation_table
from book.parse import expand_snippets

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
PAGES = sorted(
    p for p in DOCS.rglob("*.md")
    if "exercises" not in p.relative_to(DOCS).parts  # read inside their chapters (snippets)
)

# Docstrings whose formulas are about the output layer: j there would be the source's output.
OUTPUT_SIDE_DOCS = {
    "backprop_book.loss.l2_loss", "backprop_book.loss.dL_dy", "backprop_book.activation.dy_da",
    "backprop_book.output_layer.output_delta", "backprop_book.update.gradient_step",
    "backprop_book.exercises.ch04_output_layer.check_dL_dy",
    "backprop_book.exercises.ch04_output_layer.check_dy_da",
    "backprop_book.exercises.ch04_output_layer.check_output_delta",
}

NOT_YET: dict[str, str] = {}  # page or module: what the test still finds there


def _marks(key: str) -> list:
    return [pytest.mark.xfail(strict=True, reason=NOT_YET[key])] if key in NOT_YET else []


def _page_params():
    for page in PAGES:
        key = page.relative_to(DOCS).as_posix()
        yield pytest.param(page, marks=_marks(key), id=key)


def _modules() -> list[str]:
    names = {"backprop_book"}
    for info in pkgutil.walk_packages(backprop_book.__path__, prefix="backprop_book."):
        names.add(info.name)
    return sorted(names)


def _module_params():
    for name in _modules():
        yield pytest.param(name, marks=_marks(name), id=name)


def _docstrings(module_name: str) -> dict[str, str]:
    """The module's docstring and those of the functions and classes it defines."""
    module = importlib.import_module(module_name)
    docs = {module_name: inspect.getdoc(module) or ""}
    for name, obj in vars(module).items():
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module_name:
            docs[f"{module_name}.{name}"] = inspect.getdoc(obj) or ""
    return docs


@pytest.mark.parametrize("page", list(_page_params()))
def test_pages_use_the_books_letters(page):
    rules = EVERYWHERE + (OUTPUT_SIDE if page.name.startswith("04-") else [])
    found = hits(expand_snippets(page.read_text(encoding="utf-8")), rules)
    assert not found, f"{page.relative_to(DOCS)}: the source's letters outside its notes:\n" + "\n".join(found)


@pytest.mark.parametrize("module_name", list(_module_params()))
def test_docstrings_use_the_books_letters(module_name):
    found = []
    for qualname, doc in _docstrings(module_name).items():
        rules = EVERYWHERE + (OUTPUT_SIDE if qualname in OUTPUT_SIDE_DOCS else [])
        found += [f"{qualname}: {h}" for h in hits(doc, rules)]
    assert not found, "docstrings with the source's letters:\n" + "\n".join(found)


def test_the_output_side_docstrings_exist():
    """A renamed function must not drop out of the stricter check unnoticed."""
    known = {q for m in _modules() for q in _docstrings(m)}
    assert OUTPUT_SIDE_DOCS <= known, OUTPUT_SIDE_DOCS - known


# ------------------------------------------------------------- the rules catch what they should

@pytest.mark.parametrize("text", [
    r"$\partial L / \partial u_{ij} = \delta_j h_i$",
    r"$L = \frac12 \sum_i (y_i - t_i)^2$",
    r"$\boldsymbol{\delta}^{(L)} = (\mathbf{y} - \mathbf{t})$",
    r"for $l = L, \dots, 1$",
    r"layer sizes $n_0, \dots, n_L$",
    r"$\sum_{n=1}^{N} h_{ni} \delta_{nj}$",
    r"$\nabla_{\mathbf{b}} L = \sum_n \boldsymbol{\delta}_n$",
    r"delta : array, shape (k,) or (n, k)",
    r"$\boldsymbol{\theta}_{s+1} = \boldsymbol{\theta}_s - \eta \nabla L$",
])
def test_each_kind_of_other_letter_is_caught(text):
    assert hits(text, EVERYWHERE), text


@pytest.mark.parametrize("text", [
    r"$\partial L / \partial u_{jk} = \delta_k h_j$",
    r"$\delta_j = \Bigl(\sum_k \delta_k u_{jk}\Bigr) h_j (1 - h_j)$",
    r"$\boldsymbol{\delta}^{(D)} = (\mathbf{y} - \mathbf{t})$, for $l = D, \dots, 1$",
    r"$\sum_{s=1}^{N} H^{(l-1)}_{si} \Delta^{(l)}_{sj}$, widths $n_0, \dots, n_D$",
    r"$\boldsymbol{\theta}_{\tau+1} = \boldsymbol{\theta}_\tau - \eta \nabla L$",
    r"$L = 0.2227$, $a_j = \sum_i x_i w_{ij} + b_j$",
])
def test_the_books_own_letters_pass(text):
    assert not hits(text, EVERYWHERE), hits(text, EVERYWHERE)


def test_chapter_4s_rule_catches_an_output_called_j():
    assert hits(r"$\delta_j = (y_j - t_j)\, y_j (1 - y_j)$", OUTPUT_SIDE)
    assert not hits(r"$\delta_k = (y_k - t_k)\, y_k (1 - y_k)$", OUTPUT_SIDE)


def test_a_note_on_the_source_is_skipped_and_only_that_note():
    page = (
        "Before.\n\n"
        '!!! note "The source\'s notation"\n'
        "    The source writes $u_{ij}$.\n\n"
        "    Still inside: $\\sum_i (y_i - t_i)^2$.\n\n"
        "After the note: $u_{ij}$.\n"
    )
    assert hits(page, EVERYWHERE) == ["line 8: u_ij: After the note: $u_{ij}$."]
    other_note = page.replace("The source's notation", "Indices")
    assert len(hits(other_note, EVERYWHERE)) == 3


# ------------------------------------------------------------------ the notation table

def test_the_table_has_the_briefs_letters():
    symbols = " ".join(s.tex for s in SYMBOLS)
    for letter in ("$L$", "$D$", "$n_l$", "$N$", "$s$", "$u_{jk}", "$w_{ij}", r"$\delta_k$",
                   r"$\delta_j$", r"\mathbf{W}^{(l)}", r"$\eta$", r"$\tau$"):
        assert letter in symbols, letter


@pytest.mark.parametrize("symbol", [s for s in SYMBOLS if s.code], ids=lambda s: s.code)
def test_every_code_column_runs_on_the_running_example(symbol):
    values = evaluate(symbol)
    assert values and all(v is not None for v in values)


def test_the_table_agrees_with_the_running_example():
    by_code = {s.code: evaluate(s) for s in SYMBOLS if s.code}
    assert by_code["len(weights)"] == [2]  # D = 2 for the 2-3-2 net
    assert by_code["weights[0]"][0].shape == (2, 3) and by_code["weights[1]"][0].shape == (3, 2)
    assert by_code["output_delta(y, t)"][0].shape == (2,)
    assert by_code["hidden_delta(delta_k, u, h)"][0].shape == (3,)


def test_chapter_2_prints_the_generated_table():
    chapter = (DOCS / "chapters" / "02-network.md").read_text(encoding="utf-8")
    assert "print(notation_table())" in chapter
    table = notation_table()
    assert table.count("\n") == len(SYMBOLS) + 1  # header, rule, one row per symbol
