"""Chapter 9's figures: the loss curve and what the trained network outputs.

Imported by the chapter's hidden blocks. Every number drawn comes from
``backprop_book`` (``train`` for the losses, ``forward`` for the outputs over a
grid); this file only draws them, with Matplotlib's Agg backend (no display),
into inline ``<svg>`` elements. Text stays text (``svg.fonttype = "none"``) so
the page's font is used, and ink drawn in ``INK`` becomes ``currentColor`` so
axes and labels follow the light/dark switch. Figures are always closed.
"""


import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")  # render to a file, never to a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from backprop_book import forward  # noqa: E402

from book.show import inline_svg, svg_style  # noqa: E402

INK = "#020202"  # drawn in this colour, then handed over to the page's text colour
STYLE = svg_style("bp-ch09", INK)  # the salt keeps ids stable, so rebuilds give the same page
# Lines drawn over the colour map keep one dark colour in both palettes: the map is the
# same in light and dark mode, and its middle (output 0.5, where the boundary runs) is
# nearly white, so a line in the page's text colour would vanish there in dark mode.
ON_MAP = "#111111"


def loss_curve_svg(losses) -> str:
    """The loss after each step of gradient descent, on a log scale.

    >>> svg = loss_curve_svg([4.0, 2.0, 1.0, 0.5])
    >>> svg.startswith("<svg") and svg.rstrip().endswith("</svg>") and INK not in svg
    True
    """
    losses = np.asarray(losses, dtype=float)
    steps = np.arange(len(losses))
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(6.4, 3.2))
        ax.semilogy(steps, losses, color="#3f7fd8", lw=2)
        for s in (0, len(losses) - 1):
            ax.annotate(f"{losses[s]:.3g}", xy=(s, losses[s]), xytext=(0, 6),
                        textcoords="offset points", ha="left" if s == 0 else "right")
        # plain tick labels: log axes default to mathtext, which parse_math=False would print raw
        ax.yaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel("step τ")
        ax.set_ylabel("loss L (log scale)")
        ax.spines[["top", "right"]].set_visible(False)
        return inline_svg(fig, INK)


def output_map_svg(weights, biases, X, T, radius, lim=1.2, n=121) -> str:
    """The trained network's output over a grid, the training points and the true circle.

    >>> w = [np.zeros((2, 1))]; b = [np.zeros(1)]
    >>> svg = output_map_svg(w, b, np.zeros((2, 2)), np.array([[0.0], [1.0]]), 0.5, n=5)
    >>> svg.startswith("<svg") and INK not in svg
    True
    >>> ON_MAP in svg  # the boundary and the circle do not follow the page's text colour
    True
    """
    g = np.linspace(-lim, lim, n)
    G1, G2 = np.meshgrid(g, g)
    grid = np.column_stack([G1.ravel(), G2.ravel()])
    Y = forward(weights, biases, grid)[-1].reshape(G1.shape)  # the network's output y
    inside = np.asarray(T)[:, 0] > 0.5
    angle = np.linspace(0, 2 * np.pi, 200)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(5.2, 4.2))
        # an image, not filled contours: a few kB of PNG instead of 100 kB of paths
        filled = ax.imshow(Y, extent=(-lim, lim, -lim, lim), origin="lower", cmap="RdBu_r",
                           vmin=0, vmax=1, alpha=0.85, interpolation="none")
        ax.contour(G1, G2, Y, levels=[0.5], colors=ON_MAP, linewidths=1.8)
        ax.plot(radius * np.cos(angle), radius * np.sin(angle), color=ON_MAP, lw=1.2, ls="--")
        ax.scatter(*X[inside].T, marker="o", s=26, c="#b2182b", edgecolors="white", lw=0.8,
                   label="class 1 (inside)")
        ax.scatter(*X[~inside].T, marker="s", s=22, c="#2166ac", edgecolors="white", lw=0.8,
                   label="class 0 (outside)")
        fig.colorbar(filled, ax=ax, label="network output y", ticks=[0, 0.25, 0.5, 0.75, 1])
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
        svg = inline_svg(fig, INK)
    # let the browser smooth the n x n image when it scales it up, instead of showing pixels
    return svg.replace('style="image-rendering:crisp-edges;image-rendering:pixelated"', "")
