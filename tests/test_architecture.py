"""The package's structure: imports run one way, and every argument is checked once.

Issue 9's rules, read off the source with ``ast`` and counted on real calls:

- each module imports only modules below it in ``LAYERS`` (no cycle, no hub that
  reaches up), never inside a function, and never another module's ``_private`` name;
- a public call converts and checks each of its arguments exactly once, however many
  public functions it calls inside (``backprop`` calls ``forward``, ``hidden_delta``,
  ``weight_gradient`` ...; ``train`` calls ``backprop`` every epoch).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import backprop_book
from backprop_book import _checks

SRC = Path(backprop_book.__file__).parent
# Bottom to top: a module may import only modules listed before it.
LAYERS = [
    "_checks",
    "activation",
    "loss",
    "output_layer",
    "hidden_layer",
    "bias",
    "activations_and_losses",
    "choices",
    "_scalars",
    "engine",
    "dual",
    "network",
    "general",
    "init",
    "minibatch",
    "update",
    "gradcheck",
    "exercises",
    "__init__",
]


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return parts[0] if parts[0] != "exercises" or len(parts) == 1 else "exercises"


def _sources() -> list[tuple[str, Path, ast.Module]]:
    return [(_module(p), p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(SRC.rglob("*.py"))]


def _package_imports(path: Path, tree: ast.Module) -> list[tuple[ast.ImportFrom, str]]:
    """Every ``from .x import y`` (and ``from .. import``), with the package module it reaches."""
    depth = len(path.relative_to(SRC).parts) - 1  # 1 inside exercises/
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            up = node.level - 1 - depth  # levels above backprop_book itself: none
            assert up <= 0, f"{path.name}: relative import leaves the package"
            if node.level - 1 < depth and node.level == 1:  # from . inside exercises: a sibling
                target = "exercises"
            elif node.module:
                target = node.module.split(".")[0]
            else:  # from . import _checks, choices
                target = None
            names = [a.name for a in node.names]
            for name in ([target] if target else names):
                found.append((node, name))
    return found


def test_the_layers_name_every_module():
    assert {m for m, _, _ in _sources()} == set(LAYERS)


@pytest.mark.parametrize("module, path, tree", _sources(), ids=lambda v: v if isinstance(v, str) else "")
def test_a_module_imports_only_modules_below_it(module, path, tree):
    below = set(LAYERS[: LAYERS.index(module)]) | ({"exercises"} if module == "exercises" else set())
    wrong = sorted({t for _, t in _package_imports(path, tree) if t not in below})
    assert not wrong, f"{path.relative_to(SRC)} imports {wrong}, which are not below {module} in LAYERS"


@pytest.mark.parametrize("module, path, tree", _sources(), ids=lambda v: v if isinstance(v, str) else "")
def test_no_import_inside_a_function(module, path, tree):
    inside = [
        f"line {inner.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for inner in ast.walk(node)
        if isinstance(inner, (ast.Import, ast.ImportFrom))
    ]
    assert not inside, f"{path.relative_to(SRC)} imports inside a function at {inside}"


@pytest.mark.parametrize("module, path, tree", _sources(), ids=lambda v: v if isinstance(v, str) else "")
def test_no_module_reaches_for_another_modules_private_names(module, path, tree):
    modules = {p.stem for p in SRC.rglob("*.py")}
    imported = {a.asname or a.name for n, _ in _package_imports(path, tree) for a in n.names}
    wrong = [
        f"line {n.lineno}: {a.name}" for n, _ in _package_imports(path, tree) for a in n.names
        if a.name.startswith("_") and a.name not in modules  # a private module itself is fine
    ]
    wrong += [
        f"line {n.lineno}: {n.value.id}.{n.attr}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in imported
        and n.attr.startswith("_") and not n.attr.startswith("__")
    ]
    assert not wrong, f"{path.relative_to(SRC)} uses private names of other modules: {wrong}"


def test_the_layering_test_sees_a_cycle_and_a_late_import(tmp_path):
    """The AST reading above finds what it must: an upward import and a function-level import."""
    tree = ast.parse("from .general import backprop\ndef f():\n    from .network import forward\n")
    fake = SRC / "activation.py"
    targets = [t for _, t in _package_imports(fake, tree)]
    assert targets == ["general", "network"]
    assert any(isinstance(i, ast.ImportFrom) for fn in tree.body[1:] for i in ast.walk(fn))


# ------------------------------------------------------------------ one conversion per argument


@pytest.fixture
def conversions(monkeypatch):
    """Count, per argument name, how often ``_checks.arrays`` sees it during a call."""
    seen: Counter[str] = Counter()
    original = _checks.arrays

    def counting(**named):
        seen.update(named.keys())
        return original(**named)

    monkeypatch.setattr(_checks, "arrays", counting)
    return seen


def _network_names(depth: int) -> set[str]:
    return {*(f"weights[{l}]" for l in range(depth)), *(f"biases[{l}]" for l in range(depth)), "x", "t"}


@pytest.mark.parametrize("as_lists", [False, True], ids=["arrays", "lists"])
@pytest.mark.parametrize("call", ["backprop", "train", "gradient_check", "network_loss", "numerical_backprop"])
def test_each_argument_is_converted_and_checked_once(conversions, call, as_lists):
    ex = backprop_book.running_example()
    w, b, x, t = ex.weights, ex.biases, np.stack([ex.x, ex.x]), np.stack([ex.t, ex.t])
    if as_lists:
        w, b, x, t = [v.tolist() for v in w], [v.tolist() for v in b], x.tolist(), t.tolist()
    extra = {"train": (0.5, 3), "gradient_check": (1e-5,), "numerical_backprop": (1e-5,)}.get(call, ())
    getattr(backprop_book, call)(w, b, x, t, *extra, hidden="tanh", output="softmax", loss="cross_entropy")
    assert dict(conversions) == {name: 1 for name in _network_names(2)}


def test_a_nested_call_from_user_code_is_checked_again(conversions):
    """numerical_gradient's f is the user's: what it passes back into the package is checked."""
    ex = backprop_book.running_example()

    def loss_of_u(u):
        return backprop_book.l2_loss(backprop_book.forward([ex.weights[0], u], ex.biases, ex.x)[-1], ex.t)

    backprop_book.numerical_gradient(loss_of_u, ex.weights[1])
    evaluations = 2 * ex.weights[1].size
    assert conversions["param"] == 1
    assert conversions["x"] == conversions["y"] == evaluations  # forward and l2_loss, every time


def test_the_count_would_see_a_second_check(conversions):
    """The fixture counts what it must: two public calls made from outside check twice."""
    ex = backprop_book.running_example()
    backprop_book.forward(ex.weights, ex.biases, ex.x)
    backprop_book.forward(ex.weights, ex.biases, ex.x)
    assert conversions["x"] == 2


def test_names_that_moved_to_choices_keep_their_old_import_path():
    """Issue 9 kept every import path: the name tuples and loss_value, once in
    activations_and_losses, are still found there (read from choices)."""
    from backprop_book import activations_and_losses as old
    from backprop_book import choices

    assert old.HIDDEN == ("sigmoid", "tanh", "relu")
    assert old.OUTPUT == ("sigmoid", "softmax", "identity")
    assert old.LOSS == ("l2", "cross_entropy")
    assert old.PAIRS == (("sigmoid", "l2"), ("sigmoid", "cross_entropy"),
                         ("softmax", "cross_entropy"), ("identity", "l2"))
    assert old.loss_value is choices.loss_value
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        old.not_a_name  # noqa: B018
