"""The sigmoid and its derivative plotted at build time (Chapter 3).

The curves are computed by ``backprop_book.sigmoid`` and
``backprop_book.sigmoid_prime``, drawn with Matplotlib's Agg backend (no
display needed) and returned as an inline ``<svg>`` element. Text stays text
(``svg.fonttype = "none"``), so the page's own font is used and nothing is
fetched; black in the figure is rewritten to ``currentColor`` so axes and
labels follow the light/dark switch.
"""


import matplotlib

matplotlib.use("Agg")  # render to a file, never to a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from backprop_book import sigmoid, sigmoid_prime  # noqa: E402

from book.show import inline_svg, svg_style  # noqa: E402

INK = "#010101"  # drawn in this colour, then handed over to the page's text colour


def sigmoid_svg(lo: float = -7.0, hi: float = 7.0) -> str:
    r"""Return an ``<svg>`` plotting $\sigma(a)$ and $\sigma'(a)$ for a in [lo, hi].

    Examples
    --------
    >>> svg = sigmoid_svg()
    >>> svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    True
    >>> "currentColor" in svg and INK not in svg
    True
    """
    a = np.linspace(lo, hi, 401)
    with plt.rc_context(svg_style("bp-sigmoid", INK)):  # the salt keeps ids stable across rebuilds
        fig, ax = plt.subplots(figsize=(6.4, 3.4))
        try:
            ax.axhline(0.25, color=INK, alpha=0.3, lw=0.8, ls=":")
            ax.axvline(0.0, color=INK, alpha=0.3, lw=0.8, ls=":")
            ax.plot(a, sigmoid(a), color="#3f7fd8", lw=2.2, label="σ(a)")
            ax.plot(a, sigmoid_prime(a), color="#d9782d", lw=2.2, ls="--",
                    label="σ′(a) = σ(a) (1 − σ(a))")
            ax.annotate("peak 1/4 at a = 0", xy=(0, 0.25), xytext=(1.4, 0.36),
                        arrowprops={"arrowstyle": "->", "color": INK, "alpha": 0.6})
            ax.set_xlim(lo, hi)
            ax.set_ylim(-0.03, 1.05)
            ax.set_xlabel("pre-activation a")
            ax.spines[["top", "right"]].set_visible(False)
            ax.legend(loc="upper left", frameon=False)
        except BaseException:
            plt.close(fig)  # builds run many times in one process (mkdocs serve)
            raise
        return inline_svg(fig, INK)  # inline, in the page's text colour, scaling with the page
