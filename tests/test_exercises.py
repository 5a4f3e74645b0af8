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

import backprop_book as bp
from backprop_book import exercises as ex
from backprop_book.exercises import Verdict

CORRECT = {
    "check_pre_activation": bp.pre_activation,
    "check_forward": bp.forward,
    "check_sigmoid": bp.sigmoid,
    "check_sigmoid_prime": bp.sigmoid_prime,
    "check_l2_loss": bp.l2_loss,
    "check_dL_dy": bp.dL_dy,
    "check_dy_da": bp.dy_da,
    "check_output_delta": bp.output_delta,
    "check_weight_gradient": bp.weight_gradient,
    "check_dL_dh": bp.dL_dh,
    "check_hidden_delta": bp.hidden_delta,
    "check_backprop": bp.backprop,
    "check_bias_gradient": bp.bias_gradient,
    "check_gradient_step": bp.gradient_step,
    "check_train": bp.train,
    "check_numerical_gradient": bp.numerical_gradient,
    "check_relative_error": bp.relative_error,
    "check_dtanh_da": bp.dtanh_da,
    "check_drelu_da": bp.drelu_da,
    "check_softmax": bp.softmax,
    "check_softmax_cross_entropy_delta": bp.softmax_cross_entropy_delta,
    "check_sigmoid_cross_entropy_delta": bp.sigmoid_cross_entropy_delta,
    "check_multiply_adds": lambda sizes, batch: batch * sum(
        (2 if l == 0 else 3) * m * n for l, (m, n) in enumerate(zip(sizes, sizes[1:]))
    ),  # written independently of the module's own count
}
CHECKERS = sorted(name for name in ex.__all__ if name.startswith("check_"))


def test_every_checker_has_a_correct_answer_here():
    assert sorted(CORRECT) == CHECKERS


# ------------------------------------------------------------------ correct answers pass


@pytest.mark.parametrize("name", CHECKERS)
def test_the_books_own_function_passes(name, capsys):
    verdict = getattr(ex, name)(CORRECT[name])
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
    assert phrase in out, out


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
    assert "used untransposed" in verdict.report


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
    assert not verdict and "central differences" in verdict.report


# --------------------------------------------------------------- crashes and non-callables


def crashing(*args):
    raise NotImplementedError("derive it first")


@pytest.mark.parametrize("name", CHECKERS)
def test_a_crashing_function_is_reported_not_raised(name, capsys):
    verdict = getattr(ex, name)(crashing)
    out = capsys.readouterr().out
    assert not verdict and verdict.cases == 1
    assert "your function raised NotImplementedError: derive it first" in out


@pytest.mark.parametrize("returned", [None, "text", [1, 2], {"a": 1}, np.array([np.nan, 1.0])])
def test_a_function_returning_nonsense_is_reported(returned):
    verdict = ex.check_output_delta(lambda y, t: returned, out=None)
    assert not verdict
    assert "problem:" in verdict.report


def test_a_missing_return_is_named():
    verdict = ex.check_dL_dy(lambda y, t: print(y - t), out=None)
    assert "returned None (is a return statement missing?)" in verdict.report


def test_a_wrong_number_of_arguments_is_reported():
    verdict = ex.check_hidden_delta(lambda delta, u: delta @ u.T, out=None)
    assert not verdict and "raised TypeError" in verdict.report


@pytest.mark.parametrize("name", CHECKERS)
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
    assert not verdict and "changed its argument y in place" in verdict.report
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

import textwrap  # noqa: E402
from pathlib import Path  # noqa: E402

EXERCISES = sorted((Path(__file__).resolve().parents[1] / "docs" / "chapters" / "exercises").glob("[0-9][0-9]-*.md"))
FENCE = re.compile(r'^( *)```python exec="on"([^\n]*)\n(.*?)^\1```', re.S | re.M)


def exec_blocks(path):
    """(attributes, code, inside a solution?) of every executed block of an exercise file."""
    text = path.read_text(encoding="utf-8")
    blocks = []
    for match in FENCE.finditer(text):
        before = text[: match.start()]
        last_solution = before.rfind('??? success "Solution"')
        last_heading = before.rfind("\n### ")
        in_solution = last_solution > last_heading and len(match.group(1)) == 4
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2)))
        blocks.append((attrs, textwrap.dedent(match.group(3)), in_solution))
    return blocks


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
    for name in CHECKERS:
        monkeypatch.setattr(ex, name, lambda fn, *a, _n=name, **k: Verdict(_n, False, 1, 1, "planted failure"))
    solutions = [(attrs, code) for attrs, code, inside in exec_blocks(path) if inside and "check_" in code]
    for attrs, code in solutions:
        with pytest.raises(AssertionError):
            exec(compile(code, attrs["id"], "exec"), {"print": lambda *a, **k: None})


# ------------------------------------------------ Chapter 14 onwards: their checkers' answers

CORRECT.update({
    "check_he_std": lambda fan_in: (2 / fan_in) ** 0.5,
    "check_xavier_uniform_limit": lambda fan_in, fan_out: (6 / (fan_in + fan_out)) ** 0.5,
    "check_batch_gradient_variance": bp.batch_gradient_variance,
    # searched, not solved: the noise^2 of (15.2) is proportional to (n - k)/k; a quarter of it, in integers
    "check_combine_gradients": lambda means, sizes: np.einsum("k,kp->p", np.asarray(sizes, float), np.stack(means))
    / sum(sizes),
    "check_half_noise_batch": lambda n, N: next(k for k in range(1, n + 1) if 4 * N * (n - k) <= k * (n - N)),
})

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
    assert phrase in verdict.report, verdict.report
