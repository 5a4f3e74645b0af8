"""Chapter 16's figure: the batch gradient as a reduction over chunks of rows.

The numbers written on the diagram (the rows of each chunk, the size of each
chunk's partial gradient and of their sum) come from the chapter's own runs of
``backprop``; this file only draws them with Matplotlib's Agg backend into an
inline ``<svg>`` with a text alternative. Ink drawn in ``INK`` becomes
``currentColor``.
"""

import matplotlib

matplotlib.use("Agg")  # render to a file, never to a window

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

from book.figures.ch14_depth import labelled  # noqa: E402
from book.show import inline_svg, svg_style  # noqa: E402

INK = "#060606"  # drawn in this colour, then handed over to the page's text colour
STYLE = svg_style("bp-ch16", INK)  # the salt keeps ids stable, so rebuilds give the same page
WORKER_COLOURS = ["#3f7fd8", "#d9782d"]


def _box(ax, x, y, text, colour):
    ax.add_patch(FancyBboxPatch((x - 0.9, y - 0.32), 1.8, 0.64, boxstyle="round,pad=0.05",
                                facecolor=colour, alpha=0.18, edgecolor=colour, lw=1.4))
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def _arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="->", color=INK, lw=1.1))


def reduction_figure(chunks, partial_norms, total_norm, workers=2) -> str:
    """Chunks of rows -> each chunk's partial gradient -> one sum per worker -> the full gradient.

    ``chunks`` are ``(first_row, last_row)`` pairs, dealt to the workers in turn.

    >>> html = reduction_figure([(0, 9), (10, 19)], [1.0, 2.0], 2.5)
    >>> html.startswith('<figure class="bp-figure"><svg role="img"') and INK not in html
    True
    """
    k = len(chunks)
    xs = [1.2 + 2.2 * i for i in range(k)]
    width = xs[-1] + 1.2
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(1.75 * k + 0.6, 4.3))
        worker_x = []
        for w in range(workers):
            mine = [x for i, x in enumerate(xs) if i % workers == w]
            worker_x.append(sum(mine) / len(mine) if mine else width / 2)
        for i, (x, (first, last), norm) in enumerate(zip(xs, chunks, partial_norms)):
            colour = WORKER_COLOURS[i % workers % len(WORKER_COLOURS)]
            _box(ax, x, 3.4, f"rows {first}–{last}", colour)
            _box(ax, x, 2.2, f"g({i + 1}): ‖·‖={norm:.3g}", colour)
            _arrow(ax, (x, 3.05), (x, 2.55))
            _arrow(ax, (x, 1.85), (worker_x[i % workers], 1.35))
        for w, x in enumerate(worker_x):
            colour = WORKER_COLOURS[w % len(WORKER_COLOURS)]
            _box(ax, x, 1.0, f"worker {w + 1}: sum", colour)
            _arrow(ax, (x, 0.65), (width / 2, 0.05))
        _box(ax, width / 2, -0.3, f"g = sum: ‖g‖={total_norm:.4g}", INK)
        ax.text(0.05, 3.4, "X, T", ha="left", va="center", fontsize=9)
        ax.text(0.05, 2.2, "backprop", ha="left", va="center", fontsize=9)
        ax.set_xlim(-0.1, width + 0.1)
        ax.set_ylim(-0.8, 3.9)
        ax.axis("off")
        label = (f"The batch gradient as a reduction: {k} chunks of rows, each chunk's partial "
                 f"gradient computed by backprop, summed per worker, then added into the full "
                 f"gradient of norm {total_norm:.4g}.")
        svg = labelled(inline_svg(fig, INK), label)
    caption = ("The rows of the batch are cut into chunks; <code>backprop</code> on a chunk "
               "gives that chunk's partial gradient (6.2); each worker adds its chunks' "
               "partial gradients and the workers' sums add up to the full gradient. The "
               "norms are those computed above, at build.")
    return f'<figure class="bp-figure">{svg}<figcaption>{caption}</figcaption></figure>'
