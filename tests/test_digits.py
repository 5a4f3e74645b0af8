"""Chapter 15 on real data: the page's own code, run as a reader would paste it, reaches the
accuracy the issue asks for, agrees with scikit-learn, and measures the noise that (15.2) predicts.

The shown blocks of docs/chapters/15-minibatches.md run in order in one fresh namespace (the
hidden presentation blocks are skipped: a shown block never needs them), so these numbers are
the page's numbers, seeded.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from book.parse import exec_blocks

PAGE = Path(__file__).resolve().parents[1] / "docs" / "chapters" / "15-minibatches.md"


@pytest.fixture(scope="module")
def page():
    namespace: dict = {"print": lambda *a, **k: None}
    shown = [b for b in exec_blocks(PAGE.read_text(encoding="utf-8")) if b.get("source")]
    assert {"ch15-data", "ch15-noise", "ch15-train", "ch15-sklearn", "ch15-confusion"} <= {b["id"] for b in shown}
    for block in shown:
        exec(compile(block["code"], block["id"], "exec"), namespace)
    return namespace


def test_the_digits_are_split_once_seventy_thirty(page):
    assert page["X_train"].shape == (1257, 64) and page["X_test"].shape == (540, 64)
    assert 0 <= page["X_train"].min() and page["X_train"].max() <= 1


def test_the_books_functions_reach_96_percent_on_the_held_out_digits(page):
    assert page["accuracy"] >= 0.96
    assert len(page["test_accuracy"]) == 30 and page["test_accuracy"][-1] == page["accuracy"]


def test_ours_is_within_one_percentage_point_of_scikit_learns(page):
    assert 0.96 <= page["theirs"] <= 1
    assert abs(page["accuracy"] - page["theirs"]) <= 0.01


def test_the_loss_falls_and_the_confusion_matrix_counts_every_held_out_digit(page):
    losses = page["losses"]
    assert losses[-1] < losses[0] / 3
    confusion, wrong = page["confusion"], page["wrong"]
    assert confusion.sum() == 540 and np.trace(confusion) == 540 - len(wrong)
    assert np.trace(confusion) / 540 == pytest.approx(page["accuracy"])


def test_the_measured_noise_is_what_15_2_predicts_and_falls_like_one_over_n(page):
    measured, predicted = np.array(page["measured"]), np.array(page["predicted"])
    assert np.all(np.abs(measured / predicted - 1) < 0.35), measured / predicted
    assert np.all(np.diff(np.log(predicted)) < 0)
    sizes = np.array(page["batch_sizes"])
    slope = np.polyfit(np.log(sizes[:-1]), np.log(predicted[:-1]), 1)[0]
    assert slope == pytest.approx(-1, abs=0.05)  # 1/N while N << n
    # unbiased: the mean of the draws is off by one draw's noise over sqrt(draws), not more
    noise = np.sqrt(predicted) / np.linalg.norm(page["G"].sum(axis=0))  # (the exercises reuse g)
    ratio = np.array(page["mean_error"]) / (noise / np.sqrt(page["repeats"]))
    assert np.all((0.3 < ratio) & (ratio < 2)), ratio
