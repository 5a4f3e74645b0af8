"""Chapter 15's figures: gradient noise against batch size, training curves, missed digits.

Every number drawn comes from the chapter's own runs of ``backprop_book``
(``backprop``, ``batch_gradient_variance``, ``train``, ``forward``); this file
only draws them, with Matplotlib's Agg backend, into inline ``<svg>`` elements
with a text alternative. Ink drawn in ``INK`` becomes ``currentColor``.
"""

import matplotlib

matplotlib.use("Agg")  # render to a file, never to a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from book.figures.ch14_depth import labelled  # noqa: E402
from book.show import inline_svg, md_table, svg_style  # noqa: E402

INK = "#050505"  # drawn in this colour, then handed over to the page's text colour
STYLE = svg_style("bp-ch15", INK)  # the salt keeps ids stable, so rebuilds give the same page


def _figure(svg: str, caption: str) -> str:
    return f'<figure class="bp-figure">{svg}<figcaption>{caption}</figcaption></figure>'


def noise_figure(batch_sizes, measured, predicted) -> str:
    """Measured and predicted (15.2) mean squared error of the batch gradient, log-log.

    >>> html = noise_figure([1, 10], [100.0, 9.0], [99.0, 9.5])
    >>> html.startswith('<figure class="bp-figure"><svg role="img"') and INK not in html
    True
    """
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(5.6, 3.4))
        ax.loglog(batch_sizes, predicted, color="#3f7fd8", lw=2, label="predicted, (15.2)")
        ax.loglog(batch_sizes, measured, "o", color="#d9782d", ms=7, label="measured")
        ax.set_xticks(batch_sizes, [str(N) for N in batch_sizes])
        ax.minorticks_off()
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.0e}"))
        ax.set_xlabel("batch size N")
        ax.set_ylabel("E‖ĝ − g‖²")
        ax.legend(frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        svg = labelled(inline_svg(fig, INK), "Mean squared error of the scaled batch gradient "
                       "against batch size, log-log: measured points on the predicted line; "
                       "the numbers are in the table above.")
    return _figure(svg, "The mean squared error of the scaled batch gradient as an estimate of "
                   "the full gradient, measured over random batches (points) and predicted by "
                   "(15.2) (line). Computed at build by <code>backprop</code> and "
                   "<code>batch_gradient_variance</code>.")


def noise_table(batch_sizes, measured, predicted, mean_error, gradient_norm) -> str:
    """The noise measurements as a Markdown table, beside the prediction of (15.2).

    >>> print(noise_table([4], [2.0], [1.0], [0.01], 10.0))  # doctest: +ELLIPSIS
    | batch size $N$ | ... |
    |---|---|---|---|---|---|
    | 4 | 2 | 1 | 2.00 | 0.10 | 0.010 |
    """
    header = ["batch size $N$", r"measured $E\Vert\hat{\mathbf{g}} - \mathbf{g}\Vert^2$",
              "predicted (15.2)", "ratio", r"noise / $\Vert\mathbf{g}\Vert$",
              r"$\Vert$mean of the draws $- \mathbf{g}\Vert / \Vert\mathbf{g}\Vert$"]
    rows = [[str(N), f"{m:.3g}", f"{p:.3g}", f"{m / p:.2f}", f"{p ** 0.5 / gradient_norm:.2f}", f"{e:.3f}"]
            for N, m, p, e in zip(batch_sizes, measured, predicted, mean_error)]
    return md_table(header, rows)


def curves_figure(losses, train_accuracy, test_accuracy) -> str:
    """The mean loss per sample and the accuracies after each epoch, side by side.

    >>> html = curves_figure([1.0, 0.5], [0.8, 0.9], [0.7, 0.85])
    >>> html.startswith('<figure class="bp-figure"><svg role="img"') and INK not in html
    True
    """
    epochs = np.arange(1, len(losses) + 1)
    with plt.rc_context(STYLE):
        fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.2))
        left.plot(epochs, losses, color="#3f7fd8", lw=2)
        left.set_yscale("log")
        left.yaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        left.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        left.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        left.set_xlabel("epoch")
        left.set_ylabel("mean cross-entropy (log)")
        right.plot(epochs, 100 * np.asarray(train_accuracy), color="#3f7fd8", lw=2, label="training")
        right.plot(epochs, 100 * np.asarray(test_accuracy), color="#d9782d", lw=2, label="held out")
        right.set_xlabel("epoch")
        right.set_ylabel("accuracy (%)")
        right.legend(frameon=False, loc="lower right")
        for ax in (left, right):
            ax.spines[["top", "right"]].set_visible(False)
        svg = labelled(inline_svg(fig, INK), "Training curves: the mean loss falls and the "
                       "training and held-out accuracies rise over the epochs; the final values "
                       "are printed above.")
    return _figure(svg, "Left: the mean cross-entropy per training sample after each epoch, as "
                   "<code>train</code> reported it. Right: the accuracy on the training and "
                   "held-out digits after each epoch. Computed at build.")


def misclassified_figure(images, true, predicted) -> str:
    """Each missed digit as its 8 x 8 image, labelled with the true and the predicted class.

    One image of all the digits side by side (one axes, drawn fast), ten to a row.

    >>> html = misclassified_figure(np.zeros((2, 64)), [1, 7], [7, 1])
    >>> "1 → 7" in html and html.startswith('<figure class="bp-figure"><svg role="img"')
    True
    """
    count, columns = len(images), 10
    rows = -(-count // columns)
    cell = 11  # 8 pixels, a gap and room for the label
    mosaic = np.full((rows * cell, columns * 10), np.nan)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        mosaic[r * cell + 3 : r * cell + 11, c * 10 : c * 10 + 8] = np.reshape(image, (8, 8))
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(0.8 * columns, 0.9 * rows))
        ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        for i, (t, p) in enumerate(zip(true, predicted)):
            r, c = divmod(i, columns)
            ax.text(c * 10 + 3.5, r * cell + 1.6, f"{t} → {p}", ha="center", va="center", fontsize=9)
        ax.axis("off")
        pairs = ", ".join(f"{t} read as {p}" for t, p in zip(true, predicted))
        svg = labelled(inline_svg(fig, INK), f"The {count} misclassified held-out digits: {pairs}.")
    return _figure(svg, f"Every one of the {count} held-out digits the network got wrong, as its "
                   "8 × 8 image, labelled <em>true → predicted</em>.")
