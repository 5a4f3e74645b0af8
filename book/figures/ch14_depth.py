"""Chapter 14's figures: gradient norms and pre-activation variances, layer by layer.

Every number drawn comes from the chapter's own runs of ``backprop_book``
(``layer_gradient_norms``, ``forward``, ``pre_activation``); this file only
draws them, with Matplotlib's Agg backend, into inline ``<svg>`` elements that
carry a text alternative (``role="img"`` and ``aria-label``). Ink drawn in
``INK`` becomes ``currentColor``, so axes and labels follow the light/dark switch.
"""

import html

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")  # render to a file, never to a window

import matplotlib.pyplot as plt  # noqa: E402

from book.show import inline_svg, svg_style  # noqa: E402

INK = "#040404"  # drawn in this colour, then handed over to the page's text colour
STYLE = svg_style("bp-ch14", INK)  # the salt keeps ids stable, so rebuilds give the same page
COLOURS = ["#d9782d", "#3f7fd8", "#2e9e5b", "#a24cc2"]
MARKERS = ["o", "s", "^", "D"]


def labelled(svg: str, label: str) -> str:
    """Give an inline ``<svg>`` a text alternative for screen readers.

    >>> labelled('<svg class="x">', 'a "plot"')
    '<svg role="img" aria-label="a &quot;plot&quot;" class="x">'
    """
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" ', 1)


def _log_axis(ax):
    # plain tick labels: log axes default to mathtext, which parse_math=False would print raw
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(matplotlib.ticker.LogLocator(numticks=8))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.0e}"))
    ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())


def per_layer_svg(panels: dict, ylabel: str, label: str, ylim=None) -> str:
    """One panel per key of ``panels``; each panel maps a curve's name to its values per layer.

    >>> svg = per_layer_svg({"relu": {"He": [1.0, 1.1], "N(0, 1)": [1.0, 40.0]}}, "norm", "test")
    >>> svg.startswith('<svg role="img" aria-label="test"') and INK not in svg
    True
    """
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, len(panels), figsize=(3.1 * len(panels), 3.4), sharey=True,
                                 squeeze=False)
        for ax, (title, curves) in zip(axes[0], panels.items()):
            for i, (name, values) in enumerate(curves.items()):
                layers = range(1, len(values) + 1)
                ax.plot(layers, values, color=COLOURS[i], marker=MARKERS[i], ms=4, lw=1.6, label=name)
            _log_axis(ax)
            if ylim is not None:
                ax.set_ylim(*ylim)
            ax.set_title(title)
            ax.set_xlabel("layer l")
            ax.set_xticks(range(1, len(values) + 1, 3))
            ax.spines[["top", "right"]].set_visible(False)
        axes[0][0].set_ylabel(ylabel)
        handles, names = axes[0][0].get_legend_handles_labels()
        middle = axes[0][len(panels) // 2]  # an axes legend: tight_layout makes room for it
        middle.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(names),
                      frameon=False)
        return labelled(inline_svg(fig, INK), label)


def gradient_norms_figure(norms: dict) -> str:
    """The chapter's first figure: ``norms[activation, start]`` per layer, one panel per activation.

    >>> html = gradient_norms_figure({("relu", "He"): [1.0, 2.0], ("relu", "N(0, 1)"): [9.0, 9.0]})
    >>> html.startswith('<figure class="bp-figure"><svg role="img"'), "<figcaption>" in html
    (True, True)
    """
    panels: dict = {}
    for (hidden, start), g in norms.items():
        panels.setdefault(hidden, {})[start] = g
    label = ("Gradient norm per layer, log scale, for sigmoid, tanh and ReLU networks of ten "
             "layers from three starts; the first and last values are in the table above.")
    return (
        '<figure class="bp-figure">' + per_layer_svg(panels, "gradient norm (14.1)", label)
        + "<figcaption>The norm (14.1) of each layer's weight gradient, from layer 1 (next to "
        "the input) to layer 10 (the output), on a log scale, for the three starts. Computed at "
        "build by <code>layer_gradient_norms</code>.</figcaption></figure>"
    )


def variances_figure(measured: dict) -> str:
    """The chapter's second figure: the measured Var(a) of each layer, one curve per setting.

    >>> html = variances_figure({"ReLU, He": [2.0, 2.1], "ReLU, N(0, 1)": [2.0, 300.0]})
    >>> html.startswith('<figure class="bp-figure"><svg role="img"'), "<figcaption>" in html
    (True, True)
    """
    label = ("Measured variance of the pre-activations per layer, log scale, for four pairs "
             "of activation and start; the numbers are in the table above.")
    return (
        '<figure class="bp-figure">'
        + per_layer_svg({"Var(a) per layer": measured}, "measured Var(a)", label)
        + "<figcaption>The measured variance of the pre-activations of each of ten layers "
        "(256 units, a batch of 256), on a log scale. Computed at build by "
        "<code>forward</code> and <code>pre_activation</code>.</figcaption></figure>"
    )
