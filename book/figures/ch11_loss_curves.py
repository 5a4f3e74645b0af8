"""Chapter 11's figure: the loss curves of the chapter's experiment.

The chapter runs the experiment in code a reader can copy (a saturated start
trained with the L2 loss and with cross-entropy; XOR-like data trained with a
sigmoid, tanh or ReLU hidden layer) and hands the curves to ``loss_curves_svg``
from a hidden block. Every number comes from ``backprop_book``; this file only
draws them, with
Matplotlib's Agg backend, into an inline ``<svg>`` (text stays text; ink drawn
in ``INK`` becomes ``currentColor`` for the light/dark switch). The figure is
always closed.
"""


import matplotlib

matplotlib.use("Agg")  # render to a file, never to a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402, F401  (the doctests use it)

from book.show import inline_svg, svg_style  # noqa: E402

INK = "#030303"  # drawn in this colour, then handed over to the page's text colour
STYLE = svg_style("bp-ch11", INK)  # the salt keeps ids stable, so rebuilds give the same page
COLOURS = {"l2": "#d9782d", "cross_entropy": "#3f7fd8",
           "sigmoid": "#d9782d", "tanh": "#3f7fd8", "relu": "#2e9e5b"}


def loss_curves_svg(saturation, hidden) -> str:
    """Both experiments side by side.

    ``saturation``: ``{"l2": curve, "cross_entropy": curve}``, squared error per step;
    ``hidden``: ``{"sigmoid": curve, "tanh": curve, "relu": curve}``, loss per step.

    >>> curve = np.array([1.0, 0.5, 0.25])
    >>> svg = loss_curves_svg({"l2": curve, "cross_entropy": curve},
    ...                       {"sigmoid": curve, "tanh": curve, "relu": curve})
    >>> svg.startswith("<svg") and svg.rstrip().endswith("</svg>") and INK not in svg
    True
    """
    labels = {"l2": "sigmoid + L2: δ = (y − t) y (1 − y)",
              "cross_entropy": "sigmoid + cross-entropy: δ = y − t"}
    with plt.rc_context(STYLE):
        fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 3.6))
        for loss, errors in saturation.items():
            left.plot(errors, color=COLOURS[loss], lw=2, label=labels[loss])
        left.set_xlabel("step")
        left.set_ylabel("squared error ½ Σ (y − t)²")
        left.set_title("From a saturated start", fontsize=11)
        left.set_ylim(0, None)
        left.legend(frameon=False, fontsize=10, loc="center right")
        for hidden_name, losses in hidden.items():
            right.plot(losses, color=COLOURS[hidden_name], lw=2, label=f"{hidden_name} hidden layer")
        right.set_xlabel("step")
        right.set_ylabel("cross-entropy per sample")
        right.set_title("Softmax + cross-entropy, XOR-like data", fontsize=11)
        right.set_ylim(0, None)
        right.legend(frameon=False, fontsize=10)
        for ax in (left, right):
            ax.spines[["top", "right"]].set_visible(False)
        return inline_svg(fig, INK)
