"""Tests for the exercise checkers (backprop_book.exercises).

Every checker must pass the book's own function, fail subtly wrong answers (a missing
factor, a transposed weight, a forgotten batch sum, ...) with a report that names the
first failing input, report a crashing function instead of raising, and refuse what is
not callable with TypeError. A checker must also never change its verdict from run to
run (seeded inputs) and never let the reader's function change the book's inputs.
"""

from __future__ import annotations

import importlib

import re

import numpy as np
import pytest
from support.answers import said  # a wrapped verdict as one line
from support.registry import CHECKER_NAMES, CHECKERS  # every checker, and a correct answer to each

import backprop_book as bp
from backprop_book import exercises as ex
from backprop_book.exercises import Verdict

# ------------------------------------------------------------------ correct answers pass


@pytest.mark.parametrize("name", CHECKER_NAMES)
def test_the_books_own_function_passes(name, capsys):
    verdict = getattr(ex, name)(CHECKERS[name])
    out = capsys.readouterr().out
    assert isinstance(verdict, Verdict)
    assert verdict.passed and bool(verdict) and verdict.cases == verdict.total >= 3
    assert out.strip() == verdict.report
    assert out.startswith(f"{name}: passed all {verdict.total} cases")


def reader_output_delta(y, t):
    """What a reader would write from the chapter's formula, in plain NumPy."""
    return (y - t) * y * (1 - y)


def reader_backprop(weights, biases, x, t):
    """A reader's loop: sigmoid layers, L2 loss, batch sums by matrix products."""
    hs = [np.asarray(x, dtype=float)]
    for w, b in zip(weights, biases):
        hs.append(1 / (1 + np.exp(-(hs[-1] @ w + b))))
    delta = (hs[-1] - t) * hs[-1] * (1 - hs[-1])
    wg, bg = [], []
    for l in range(len(weights) - 1, -1, -1):
        h = hs[l]
        wg.insert(0, np.outer(h, delta) if h.ndim == 1 else h.T @ delta)
        bg.insert(0, delta if delta.ndim == 1 else delta.sum(axis=0))
        delta = (delta @ weights[l].T) * h * (1 - h)
    return wg, bg


READER_ANSWERS = [
    ("check_output_delta", reader_output_delta),
    ("check_backprop", reader_backprop),
    ("check_dL_dy", lambda y, t: y - t),
    ("check_hidden_delta", lambda delta, u, h: (delta @ u.T) * h * (1 - h)),
    ("check_weight_gradient", lambda x, d: np.einsum("ni,nj->ij", x.reshape(-1, x.shape[-1]),
                                                      d.reshape(-1, d.shape[-1]))),
    ("check_bias_gradient", lambda d: d.reshape(-1, d.shape[-1]).sum(axis=0)),
    ("check_softmax", lambda a: np.exp(a - a.max(-1, keepdims=True)) / np.exp(a - a.max(-1, keepdims=True)).sum(
        -1, keepdims=True)),
    ("check_drelu_da", lambda h: (h > 0) * 1.0),
    ("check_dtanh_da", lambda h: 1 - h ** 2),
    ("check_gradient_step", lambda p, g, lr: p - lr * g),
    ("check_sigmoid_prime", lambda a: np.exp(-np.abs(a)) / (1 + np.exp(-np.abs(a))) ** 2),
    ("check_relative_error", lambda a, b: 0.0 if not (np.any(a) or np.any(b)) else float(
        np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b)))),
]


@pytest.mark.parametrize("name, answer", READER_ANSWERS, ids=[n for n, _ in READER_ANSWERS])
def test_a_readers_independent_correct_answer_passes(name, answer):
    assert getattr(ex, name)(answer, out=None)


# ------------------------------------------------------------ subtly wrong answers fail


def numerical_gradient_without_restore(f, param, eps):
    theta = np.array(param, dtype=float)
    g = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        theta[i] += eps
        up = f(theta)
        theta[i] -= 2 * eps
        g[i] = (up - f(theta)) / (2 * eps)  # forgot to put theta[i] back: later entries drift
    return g


WRONG = [
    # (checker, wrong answer, a phrase the report must contain)
    ("check_output_delta", lambda y, t: y - t, "the delta also needs the slope dy/da = y(1 - y)"),
    ("check_output_delta", lambda y, t: (y - t) * y, "the (1 - y) factor is missing"),
    ("check_output_delta", lambda y, t: (t - y) * y * (1 - y), "the sign is flipped"),
    ("check_hidden_delta", lambda d, u, h: (d @ u.T), "the delta also needs the unit's slope h(1 - h)"),
    ("check_hidden_delta", lambda d, u, h: (d @ u) * h * (1 - h), "raised ValueError"),  # transposed weight
    ("check_dL_dh", lambda d, u: d @ u, "raised ValueError"),
    ("check_weight_gradient", lambda i, d: i.T @ d / i.shape[0] if i.ndim == 2 else np.outer(i, d),
     "this is the mean over the batch"),
    ("check_weight_gradient", lambda i, d: np.outer(i[0], d[0]) if i.ndim == 2 else np.outer(i, d),
     "only the first sample is used"),
    ("check_weight_gradient", lambda i, d: np.outer(i, d), "expected shape (3, 2), got shape (15, 10)"),
    ("check_weight_gradient", lambda i, d: np.outer(d, i) if i.ndim == 1 else d.T @ i, "w_ij joins input i"),
    ("check_bias_gradient", lambda d: d.mean(axis=0) if d.ndim == 2 else d, "the mean over the batch"),
    ("check_bias_gradient", lambda d: d, "expected shape (3,), got shape (5, 3)"),
    ("check_sigmoid_prime", lambda a: a * (1 - a), "takes the output y = sigma(a), not a"),
    ("check_sigmoid", lambda a: 1 / (1 + np.exp(-a)), "FloatingPointError: overflow"),
    ("check_softmax", lambda a: np.exp(a) / np.exp(a).sum(-1, keepdims=True), "FloatingPointError: overflow"),
    ("check_softmax", lambda a: np.exp(a - a.max()) / np.exp(a - a.max()).sum(), "each row (sample) must sum to 1"),
    ("check_drelu_da", lambda h: (h >= 0) * 1.0, "the book's convention is slope 0"),
    ("check_dtanh_da", lambda h: h * (1 - h), "the sigmoid's slope"),
    ("check_dtanh_da", lambda h: 1 - np.tanh(h) ** 2, "already the output h = tanh(a)"),
    ("check_softmax_cross_entropy_delta", lambda y, t: (y - t) * y * (1 - y), "the slope cancels (11.9)"),
    ("check_sigmoid_cross_entropy_delta", lambda y, t: (y - t) * y * (1 - y), "cancels (11.11)"),
    ("check_l2_loss", lambda y, t: np.mean((y - t) ** 2) / 2, "not the mean"),
    ("check_l2_loss", lambda y, t: np.sum((y - t) ** 2), "off by the same factor, 2"),
    ("check_dL_dy", lambda y, t: 2 * (y - t), "the 1/2 in the loss cancels the 2"),
    ("check_dy_da", lambda y: bp.sigmoid(y) * (1 - bp.sigmoid(y)), "do not apply the sigmoid again"),
    ("check_pre_activation", lambda x, w, b: x @ w, "the bias b is missing"),
    ("check_forward", lambda w, b, x: bp.forward(w, b, x)[-1], "not just y"),
    ("check_forward", lambda w, b, x: bp.forward(w, b, x)[1:], "starts with the input x"),
    ("check_backprop", lambda w, b, x, t: bp.backprop(w, b, x, t)[0], "return both lists"),
    ("check_backprop", lambda w, b, x, t: (bp.backprop(w, b, x, t)[0], [g * 2 for g in bp.backprop(w, b, x, t)[1]]),
     "expected[1][0]"),
    ("check_gradient_step", lambda p, g, lr: p + lr * g, "against it"),
    ("check_gradient_step", lambda p, g, lr: p.__isub__(lr * g), "changed its argument param in place"),
    ("check_train", lambda *args: bp.train(*args)[:2], "expected 3 items, got 2"),
    ("check_numerical_gradient", lambda f, p, eps: np.zeros_like(p), "perturb one coordinate at a time"),
    ("check_numerical_gradient", numerical_gradient_without_restore, "wrong values: the largest difference is"),
    ("check_relative_error", lambda a, b: float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b))),
     "FloatingPointError"),  # 0 / 0 when both are zero
    ("check_relative_error", lambda a, b: float(np.linalg.norm(a - b) / np.linalg.norm(a)), "FAILED"),
    ("check_multiply_adds", lambda s, n: 3 * n * sum(a * b for a, b in zip(s, s[1:])), "the first layer needs no"),
    ("check_multiply_adds", lambda s, n: sum(2 * a * b for a, b in zip(s, s[1:])) + sum(
        a * b for a, b in zip(s[1:], s[2:])), "for each of the batch's samples"),
]


@pytest.mark.parametrize("name, answer, phrase", WRONG, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(WRONG)])
def test_a_wrong_answer_fails_with_a_report(name, answer, phrase, capsys):
    verdict = getattr(ex, name)(answer)
    out = capsys.readouterr().out
    assert not verdict and not verdict.passed
    assert 1 <= verdict.cases <= verdict.total
    assert out.strip() == verdict.report
    assert re.match(rf"{name}: FAILED on case {verdict.cases} of {verdict.total} \(", out)
    assert phrase in said(out), out


def test_the_report_shows_the_input_the_expected_and_the_answer():
    verdict = ex.check_output_delta(lambda y, t: y - t, out=None)
    lines = verdict.report.splitlines()
    assert lines[0] == f"check_output_delta: FAILED on case 1 of {verdict.total} (the running example)"
    assert lines[1:6] == [
        "  y = [0.5929 0.5288]",
        "  t = [1. 0.]",
        "  expected: [-0.0983  0.1318]",
        "  got:      [-0.4071  0.5288]",
        "  problem: wrong values: the largest difference is 0.397 at index (1,)",
    ]


def test_a_mistake_only_a_batch_reveals_is_found_on_the_batch_case():
    verdict = ex.check_weight_gradient(lambda i, d: i.T @ d / i.shape[0] if i.ndim == 2 else np.outer(i, d),
                                       out=None)
    assert "batch" in verdict.report.splitlines()[0] and verdict.cases >= 3


def test_a_transposed_weight_is_caught_even_when_the_shapes_agree():
    """With square weights the transposed product has the right shape: the values catch it."""
    def transposed(delta, u, h):
        return (delta @ u) * h * (1 - h) if u.shape[0] == u.shape[1] else bp.hidden_delta(delta, u, h)

    verdict = ex.check_hidden_delta(transposed, out=None)
    assert not verdict and "square weights" in verdict.report.splitlines()[0]
    assert "used untransposed" in said(verdict.report)


def test_an_answer_right_on_values_but_wrong_against_finite_differences_is_reported(monkeypatch):
    """If the book's reference and the finite differences disagreed, the checker would say so."""
    chapter = importlib.import_module("backprop_book.exercises.ch04_output_layer")  # where check_dL_dy looks up run
    original = chapter.run

    def run_with_a_wrong_reference(checker, fn, cases, **kw):
        for case in cases:
            if case.numeric is not None:
                case.expected = fn(*case.args)  # pretend the reference agrees with anything
                case.numeric = np.asarray(case.numeric) + 1.0
        return original(checker, fn, cases, **kw)

    monkeypatch.setattr(chapter, "run", run_with_a_wrong_reference)
    verdict = ex.check_dL_dy(bp.dL_dy, out=None)
    assert not verdict and "central differences" in said(verdict.report)


# --------------------------------------------------------------- crashes and non-callables


def crashing(*args):
    raise NotImplementedError("derive it first")


@pytest.mark.parametrize("name", CHECKER_NAMES)
def test_a_crashing_function_is_reported_not_raised(name, capsys):
    verdict = getattr(ex, name)(crashing)
    out = capsys.readouterr().out
    assert not verdict and verdict.cases == 1
    assert "your function raised NotImplementedError: derive it first" in said(out)


@pytest.mark.parametrize("returned", [None, "text", [1, 2], {"a": 1}, np.array([np.nan, 1.0])])
def test_a_function_returning_nonsense_is_reported(returned):
    verdict = ex.check_output_delta(lambda y, t: returned, out=None)
    assert not verdict
    assert "problem:" in said(verdict.report)


def test_a_missing_return_is_named():
    verdict = ex.check_dL_dy(lambda y, t: print(y - t), out=None)
    assert "returned None (is a return statement missing?)" in said(verdict.report)


def test_a_wrong_number_of_arguments_is_reported():
    verdict = ex.check_hidden_delta(lambda delta, u: delta @ u.T, out=None)
    assert not verdict and "raised TypeError" in said(verdict.report)


@pytest.mark.parametrize("name", CHECKER_NAMES)
@pytest.mark.parametrize("thing", [None, 3.0, "output_delta", np.array([1.0, 2.0])])
def test_something_not_callable_raises_type_error(name, thing):
    with pytest.raises(TypeError, match=rf"{name} checks a function, but got"):
        getattr(ex, name)(thing)


def test_a_result_passed_instead_of_the_function_is_explained():
    with pytest.raises(TypeError, match="pass the function itself, without calling it"):
        ex.check_dL_dh(bp.dL_dh(np.ones(2), np.ones((3, 2))))


# ---------------------------------------------------------------------- determinism


@pytest.mark.parametrize("name", ["check_output_delta", "check_backprop", "check_weight_gradient"])
def test_the_verdict_is_the_same_on_every_run(name):
    wrong = {"check_output_delta": lambda y, t: y - t,
             "check_backprop": lambda w, b, x, t: bp.backprop(w, b, x, t)[::-1],
             "check_weight_gradient": lambda i, d: np.outer(i, d)}[name]
    first = getattr(ex, name)(wrong, out=None)
    second = getattr(ex, name)(wrong, out=None)
    assert first == second
    assert getattr(ex, name)(wrong, out=None, seed=0) == first


def test_out_none_prints_nothing(capsys):
    ex.check_dL_dy(bp.dL_dy, out=None)
    ex.check_dL_dy(lambda y, t: t, out=None)
    assert capsys.readouterr().out == ""


def test_a_function_that_mutates_its_input_cannot_change_the_book():
    ex_before = bp.running_example()

    def vandal(y, t):
        y[...] = 0.0
        return bp.output_delta(y, t)

    verdict = ex.check_output_delta(vandal, out=None)
    assert not verdict and "changed its argument y in place" in said(verdict.report)
    after = bp.running_example()
    assert all(np.array_equal(a, b) for a, b in zip(ex_before.weights, after.weights))
    assert ex.check_output_delta(bp.output_delta, out=None)


def test_the_verdict_goes_to_out():
    lines = []
    verdict = ex.check_dL_dy(bp.dL_dy, out=lines.append)
    assert lines == [verdict.report]


def test_numpy_error_state_is_restored():
    before = np.geterr()
    ex.check_sigmoid(lambda a: 1 / (1 + np.exp(-a)), out=None)
    assert np.geterr() == before


# ------------------------------------------------ the exercise pages and their solutions

from pathlib import Path  # noqa: E402

from book import parse  # noqa: E402

EXERCISES = sorted((Path(__file__).resolve().parents[1] / "docs" / "chapters" / "exercises").glob("[0-9][0-9]-*.md"))


def exec_blocks(path):
    """(attributes, code, inside a folded solution?) of every executed block of an exercise file."""
    return [(b, b["code"], b["solution"]) for b in parse.exec_blocks(path.read_text(encoding="utf-8"))]


def test_every_chapter_has_exercises():
    chapters = sorted(EXERCISES[0].parents[1].glob("[0-9][0-9]-*.md"))
    assert [p.name[:2] for p in EXERCISES] == [c.name[:2] for c in chapters]
    for path in EXERCISES:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("## Exercises\n")
        count = text.count("\n### Exercise ")
        assert (1 if path.name.startswith("01") else 2) <= count <= 4, (path.name, count)
        assert text.count('??? success "Solution"') == count, f"{path.name}: one solution per exercise"


@pytest.mark.parametrize("path", EXERCISES, ids=[p.name for p in EXERCISES])
def test_exercise_blocks_use_their_chapters_session_and_unique_ids(path):
    chapter = path.name[:2]
    blocks = exec_blocks(path)
    assert any(inside for _, _, inside in blocks), f"{path.name}: no executed solution"
    for attrs, _, _ in blocks:
        assert attrs.get("session") == f"ch{chapter}", attrs
        assert attrs.get("id", "").startswith(f"ch{chapter}-ex-"), attrs
    all_ids = [a["id"] for p in EXERCISES for a, _, _ in exec_blocks(p)]
    assert len(all_ids) == len(set(all_ids))


@pytest.mark.parametrize("path", EXERCISES, ids=[p.name for p in EXERCISES])
def test_every_solution_runs_and_passes(path):
    printed = []
    namespace = {"print": lambda *a, **k: printed.append(" ".join(map(str, a)))}
    for attrs, code, inside in exec_blocks(path):
        exec(compile(code, f"{path.name}:{attrs['id']}", "exec"), namespace)
        if inside:
            assert "assert " in code, f"{attrs['id']}: a solution must fail its block when it is wrong"
    checked = [code for _, code, inside in exec_blocks(path) if inside and "check_" in code]
    assert sum(line.endswith("central differences") or "passed all" in line for line in printed) >= len(checked)


@pytest.mark.parametrize("path", EXERCISES, ids=[p.name for p in EXERCISES])
def test_a_solution_that_fails_its_checker_fails_its_block(path, monkeypatch):
    """With every checker failing, each solution that uses one must raise (so the build fails)."""
    for name in CHECKER_NAMES:
        monkeypatch.setattr(ex, name, lambda fn, *a, _n=name, **k: Verdict(_n, False, 1, 1, "planted failure"))
    solutions = [(attrs, code) for attrs, code, inside in exec_blocks(path) if inside and "check_" in code]
    for attrs, code in solutions:
        with pytest.raises(AssertionError):
            exec(compile(code, attrs["id"], "exec"), {"print": lambda *a, **k: None})


# ------------------------------------------------ Chapter 13: the engine's checkers


from support.answers import reader_backward  # noqa: E402




def _assigning_backward(root):
    root.grad = 1.0
    for v in reversed(root.topological_order()):
        for parent, local in zip(v.parents, v.local):
            parent.grad = v.grad * local


def _forward_order_backward(root):
    root.grad = 1.0
    for v in root.topological_order():
        for parent, local in zip(v.parents, v.local):
            parent.grad += v.grad * local


def _tanh_with(local):
    def node(a):
        c = float(np.tanh(a.data))
        return bp.Value(c, parents=(a,), local=(local(a.data, c),))

    return node


WRONG_13 = [
    ("check_tanh_node", _tanh_with(lambda a, c: 1 - a * a), "not 1 - a^2"),
    ("check_tanh_node", _tanh_with(lambda a, c: c * (1 - c)), "the sigmoid's slope"),
    ("check_tanh_node", _tanh_with(lambda a, c: 1.0), "the local derivative is missing"),
    ("check_tanh_node", lambda a: float(np.tanh(a.data)), "must return a Value node, got float"),
    ("check_tanh_node", lambda a: bp.Value(float(np.tanh(a.data))), "FAILED on case 1"),  # no parent
    ("check_backward", _assigning_backward, "add into p.grad (+=), do not assign"),
    ("check_backward", _forward_order_backward, "reverse topological order"),
    ("check_backward", lambda root: None, "start the sweep with root.grad = 1"),
    ("check_deltas_from_graph", lambda w, b, x, t: bp.adjoint_deltas(w, b, x, t)[::-1], "reverse it"),
    ("check_deltas_from_graph", lambda w, b, x, t: [np.asarray(d) for d in _activation_adjoints(w, b, x, t)],
     "adjoints of the activations h"),
]


def _activation_adjoints(weights, biases, x, t):
    graph = bp.network_graph(weights, biases, x, t)
    graph.loss.backward()
    grads = [np.array([[v.grad for v in row] for row in layer]) for layer in graph.activations[1:]]
    return grads if np.ndim(x) == 2 else [g[0] for g in grads]


@pytest.mark.parametrize("name, answer, phrase", WRONG_13, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(WRONG_13)])
def test_a_wrong_engine_answer_fails_with_a_report(name, answer, phrase, capsys):
    verdict = getattr(ex, name)(answer)
    out = capsys.readouterr().out
    assert not verdict and 1 <= verdict.cases <= verdict.total
    assert re.match(rf"{name}: FAILED on case {verdict.cases} of {verdict.total} \(", out)
    assert phrase in said(out), out


def test_the_backward_checker_catches_assigning_on_the_first_reused_node():
    verdict = ex.check_backward(_assigning_backward, out=None)
    assert verdict.cases == 1 and "x * x" in said(verdict.report)
    assert "expected: [6.]" in verdict.report and "got:      [3.]" in verdict.report


def test_a_graph_the_reader_changes_cannot_change_the_next_case():
    """Each case builds a fresh graph, so a sweep that leaves grads behind fails on its own."""
    seen = []

    def sweep_and_remember(root):
        reader_backward(root)
        seen.append(root)  # kept alive, so no two can share an id

    assert ex.check_backward(sweep_and_remember, out=None)
    assert len({id(r) for r in seen}) == len(seen) == 4
# ------------------------------------------------- Chapter 6's new checkers (issue 11)
# The new checkers' correct answers live in tests/support/answers.py, so the common tests above
# (the book's answer passes, a crash is reported, seeds are stable ...) cover them too.



def _sigmoid_net_loss(weights, biases, x, t):
    h = np.asarray(x, dtype=float)
    for w, b in zip(weights, biases):
        h = 1 / (1 + np.exp(-(h @ w + b)))
    return 0.5 * np.sum((h - t) ** 2)


def _reader_weight_decay(weights, biases, x, t, lam):
    """A reader's answer that never calls the book: its own loop plus the decay term."""
    wg, bg = reader_backprop(weights, biases, x, t)
    return [g + lam * w for g, w in zip(wg, weights)], bg


def _reader_shared(w, b1, b2, x, t):
    """Unrolled by hand: the two uses of w, each input times its delta, added."""
    h = 1 / (1 + np.exp(-(x @ w + b1)))
    y = 1 / (1 + np.exp(-(h @ w + b2)))
    d2 = (y - t) * y * (1 - y)
    d1 = (d2 @ w.T) * h * (1 - h)
    outer = (lambda a, d: np.outer(a, d)) if np.ndim(x) == 1 else (lambda a, d: a.T @ d)
    return outer(x, d1) + outer(h, d2)


@pytest.mark.parametrize("name, answer", [
    ("check_weight_decay_gradients", _reader_weight_decay),
    ("check_shared_weight_gradient", _reader_shared),
    ("check_skip_hidden_delta", lambda d2, w2, d3, v, h1: np.einsum(
        "...k,jk->...j", d2, w2) * h1 * (1 - h1) + np.einsum("...m,jm->...j", d3, v) * h1 * (1 - h1)),
])
def test_chapter_6s_new_checkers_pass_an_independent_answer(name, answer):
    assert getattr(ex, name)(answer, out=None)


@pytest.mark.parametrize("name, answer, phrase", [
    ("check_weight_decay_gradients", lambda w, b, x, t, lam: bp.backprop(w, b, x, t),
     "each weight gradient gains lam * W"),
    ("check_weight_decay_gradients", lambda w, b, x, t, lam: (
        [g + lam * W for g, W in zip(bp.backprop(w, b, x, t)[0], w)],
        [g + lam * c for g, c in zip(bp.backprop(w, b, x, t)[1], b)]), "the biases are not decayed"),
    ("check_weight_decay_gradients", lambda w, b, x, t, lam: (
        [g + lam / 2 * W for g, W in zip(bp.backprop(w, b, x, t)[0], w)], bp.backprop(w, b, x, t)[1]),
     "the 2 of the square cancels the 1/2"),
    ("check_shared_weight_gradient", lambda w, b1, b2, x, t: bp.backprop([w, w], [b1, b2], x, t)[0][0],
     "only the first layer's gradient"),
    ("check_shared_weight_gradient", lambda w, b1, b2, x, t: bp.backprop([w, w], [b1, b2], x, t)[0][1],
     "only the second layer's gradient"),
    ("check_shared_weight_gradient", lambda w, b1, b2, x, t: sum(
        bp.backprop([w, w], [b1, b2], x, t)[0]) / 2, "off by the same factor, 0.5"),
    ("check_skip_hidden_delta", lambda d2, w2, d3, v, h1: bp.hidden_delta(d2, w2, h1),
     "the skip path is missing"),
    ("check_skip_hidden_delta", lambda d2, w2, d3, v, h1: bp.hidden_delta(d3, v, h1), "only the skip path"),
    ("check_skip_hidden_delta", lambda d2, w2, d3, v, h1: d2 @ w2.T + d3 @ v.T, "needs the slope h1 (1 - h1)"),
])
def test_chapter_6s_new_checkers_name_the_mistake(name, answer, phrase):
    verdict = getattr(ex, name)(answer, out=None)
    assert not verdict
    assert phrase in said(verdict.report), verdict.report


def test_the_weight_decay_checkers_numbers_are_the_decayed_losss_slopes():
    """The expected answers themselves, against central differences of an independent loss."""
    rng = np.random.default_rng(3)
    w, b = [rng.normal(size=(2, 3)), rng.normal(size=(3, 2))], [rng.normal(size=3), rng.normal(size=2)]
    x, t, lam = rng.normal(size=(4, 2)), rng.uniform(size=(4, 2)), 0.3

    def decayed(v):
        return _sigmoid_net_loss([v, w[1]], b, x, t) + lam / 2 * (np.sum(v * v) + np.sum(w[1] ** 2))

    numeric = bp.numerical_gradient(decayed, w[0])
    analytic = CHECKERS["check_weight_decay_gradients"](w, b, x, t, lam)[0][0]
    assert bp.relative_error(analytic, numeric) < 1e-7


# ------------------------------------------------- Chapter 5's softplus checker (issue 11)



def test_the_softplus_checker_passes_an_answer_written_from_the_sigmoid():
    """sigma(a) with a recovered from h = log(1 + e^a): the same slope by another road."""
    def from_a(delta, u, h):
        a = np.log(np.expm1(h))  # softplus inverted
        return (delta @ u.T) * bp.sigmoid(a)
    assert ex.check_softplus_hidden_delta(from_a, out=None)


@pytest.mark.parametrize("answer, phrase", [
    (lambda d, u, h: bp.hidden_delta(d, u, h), "h(1 - h) is the sigmoid's slope"),
    (lambda d, u, h: (d @ u.T) * bp.sigmoid(h), "sigmoid(h) takes the slope at h"),
    (lambda d, u, h: d @ u.T, "the delta also needs the unit's slope"),
])
def test_the_softplus_checker_names_the_mistake(answer, phrase):
    verdict = ex.check_softplus_hidden_delta(answer, out=None)
    assert not verdict and phrase in said(verdict.report), verdict.report
# -------------------------------- the exercises added with the reader's edition (7.2, 10.3, 11.4)

NEW_WRONG = [
    ("check_shared_bias_gradient", bp.bias_gradient, "sum over the units too"),
    ("check_shared_bias_gradient", lambda d: np.mean(d), "this is a mean"),
    ("check_shared_bias_gradient", lambda d: np.sum(d) if np.ndim(d) == 1 else np.sum(d, axis=1),
     "sum over them too"),
    ("check_huber_delta", lambda y, t, c: bp.output_delta(y, t), "this is the L2 delta (4.4)"),
    ("check_huber_delta", lambda y, t, c: np.clip(y - t, -c, c), "the delta also needs the slope"),
    ("check_huber_delta", lambda y, t, c: np.where(np.abs(y - t) <= c, y - t, c) * y * (1 - y),
     "c times the sign of y - t"),
    # the loss's value where its slope belongs, beyond c: no planted hint, the values catch it
    ("check_huber_delta", lambda y, t, c: np.where(np.abs(y - t) <= c, y - t, c * (np.abs(y - t) - c / 2))
     * y * (1 - y), "wrong values"),
    ("check_leaky_relu_hidden_delta", lambda d, w, h, alpha: (d @ w.T) * (h > 0), "still has slope alpha"),
    ("check_leaky_relu_hidden_delta", lambda d, w, h, alpha: d @ w.T, "the unit's slope, 1 or alpha"),
    ("check_leaky_relu_hidden_delta", lambda d, w, h, alpha: (d @ w.T) * np.where(h > 0, alpha, 1.0),
     "the slopes are swapped"),
]


@pytest.mark.parametrize("name, answer, phrase", NEW_WRONG,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(NEW_WRONG)])
def test_a_wrong_answer_to_a_new_exercise_fails_with_its_hint(name, answer, phrase, capsys):
    verdict = getattr(ex, name)(answer)
    out = capsys.readouterr().out
    assert not verdict and phrase in said(out), out


def test_the_huber_checkers_answer_is_autograds():
    """The answer the checker accepts, against PyTorch's own Huber loss differentiated by autograd."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    a, t = rng.normal(0, 2, (6, 3)), rng.uniform(size=(6, 3))
    for c in (0.05, 0.3, 1.0):
        a_t = torch.tensor(a, dtype=torch.float64, requires_grad=True)
        loss = torch.nn.functional.huber_loss(torch.sigmoid(a_t), torch.tensor(t), delta=c, reduction="sum")
        loss.backward()
        y = bp.sigmoid(a)
        assert bp.relative_error(CHECKERS["check_huber_delta"](y, t, c), a_t.grad.numpy()) < 1e-12
    assert ex.check_huber_delta(CHECKERS["check_huber_delta"], out=None)


def test_the_huber_checker_has_errors_on_both_sides_of_c():
    """Every case but the L2 edge mixes errors inside and beyond c, or both signs beyond it,
    so neither half of the formula alone can pass."""
    seen = []

    def spy(y, t, c):
        seen.append((np.abs(y - t) <= c, np.sign(y - t)))
        return CHECKERS["check_huber_delta"](y, t, c)

    assert ex.check_huber_delta(spy, out=None)
    inside = [bool(np.any(i)) for i, _ in seen]
    beyond = [bool(np.any(~i)) for i, _ in seen]
    assert any(i and b for i, b in zip(inside, beyond))  # a case with both kinds of errors
    assert all(np.any((s < 0) & ~i) and np.any((s > 0) & ~i) for i, s in seen[:1])  # both signs clipped
    assert inside[-1] and not beyond[-1]  # the L2 edge


# ------------------------------------------------ Chapter 14 onwards: their checkers' answers


WRONG_LATER = [
    ("check_he_std", lambda n: (1 / n) ** 0.5, "a ReLU passes only half of E[a^2]"),
    ("check_he_std", lambda n: 2 / n, "this is the variance Var(w)"),
    ("check_xavier_uniform_limit", lambda m, n: (2 / (m + n)) ** 0.5, "variance r^2/3, not r^2"),
    ("check_xavier_uniform_limit", lambda m, n: 6 / (m + n), "this is r^2"),
    ("check_batch_gradient_variance", lambda G, N: len(G) ** 2 * np.sum((G - G.mean(0)) ** 2) / len(G) / N,
     "draws with replacement"),
    ("check_batch_gradient_variance", lambda G, N: np.sum((G - G.mean(0)) ** 2) / len(G) * (len(G) - N) / (
        N * (len(G) - 1)), "off by the same factor"),
    ("check_half_noise_batch", lambda n, N: 4 * N, "4N is right only with replacement"),
    ("check_half_noise_batch", lambda n, N: 2 * N, "2N halves the mean squared error"),
    ("check_combine_gradients", lambda means, sizes: np.mean(means, axis=0), "weight each mean by its worker's rows"),
    ("check_combine_gradients", lambda means, sizes: sum(n * m for n, m in zip(sizes, means)), "divides it by all"),
]


@pytest.mark.parametrize("name, answer, phrase", WRONG_LATER, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(WRONG_LATER)])
def test_a_wrong_answer_to_a_later_chapter_fails_with_its_hint(name, answer, phrase):
    verdict = getattr(ex, name)(answer, out=None)
    assert not verdict and verdict.report.startswith(f"{name}: FAILED on case {verdict.cases} of {verdict.total} (")
    assert phrase in said(verdict.report), verdict.report
