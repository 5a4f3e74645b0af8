"""The network of Chapter 2 drawn as an inline SVG, generated at build time.

Chapter 2 pulls this file into an executed block with snippets and calls
``network_svg`` with the layer sizes of ``running_example()``, so the picture
always shows the network the book computes with. Every label is an SVG
``<text>`` in the page's own font and colour (``currentColor``), so the figure
needs no external font and follows the light/dark switch.

Labels follow the book's convention: ``w_ij`` joins ``x_i`` to ``h_j`` and
``u_jk`` joins ``h_j`` to ``y_k``; ``t_k`` is the target that ``y_k`` is
compared with.
"""

from html import escape

# Geometry, in SVG user units (the figure scales to the width of the page).
COLUMN_X = (70, 300, 530)  # inputs, hidden units, outputs
TARGET_X = 660
ROW = 110  # vertical distance between two units of a layer
RADIUS = 24
MARGIN = 40

# One hue per layer; translucent fills read on light and dark backgrounds alike.
HUES = ("#3f7fd8", "#8a5cc9", "#d9782d", "#3a9a5b")  # x, h, y, t


def _label(symbol: str, index: str, x: float, y: float, size: int, css: str = "") -> str:
    """An italic symbol with an upright subscript, centred on (x, y)."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="middle" '
        f'dominant-baseline="central"{css}><tspan font-style="italic">{escape(symbol)}</tspan>'
        f'<tspan font-size="{0.72 * size:.1f}" dy="{0.3 * size:.1f}">{escape(index)}</tspan></text>'
    )


def _column(n: int, height: float) -> list[float]:
    """Vertical centres of n units, centred in a figure of the given height."""
    top = (height - (n - 1) * ROW) / 2
    return [top + i * ROW for i in range(n)]


def _edges(xs, ys_from, ys_to, symbol: str, hue: str, halo: str) -> list[str]:
    """Arrows from every unit of one layer to every unit of the next, each labelled.

    A label sits on its arrow at a fraction of the way along that depends on
    the source unit, so labels of arrows leaving different units never share a
    spot, and arrows leaving the same unit fan apart before their labels.
    """
    x0, x1 = xs
    lines, labels = [], []
    n = len(ys_from)
    for i, y0 in enumerate(ys_from, start=1):
        along = 0.27 + 0.42 * (i - 1) / max(n - 1, 1) if n > 1 else 0.35
        for j, y1 in enumerate(ys_to, start=1):
            dx, dy = x1 - x0, y1 - y0
            norm = (dx * dx + dy * dy) ** 0.5
            ux, uy = dx / norm, dy / norm
            sx, sy = x0 + ux * RADIUS, y0 + uy * RADIUS
            ex, ey = x1 - ux * (RADIUS + 3), y1 - uy * (RADIUS + 3)
            lines.append(
                f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" '
                f'stroke="{hue}" stroke-opacity="0.75" stroke-width="1.3" '
                'marker-end="url(#bp-arrow)"/>'
            )
            lx, ly = sx + (ex - sx) * along, sy + (ey - sy) * along
            labels.append(_label(symbol, f"{i}{j}", lx, ly, 14, halo))
    return lines + labels


def network_svg(layer_sizes: tuple[int, int, int] = (2, 3, 2)) -> str:
    """Return an ``<svg>`` element drawing a network with one hidden layer.

    Parameters
    ----------
    layer_sizes : (n_inputs, n_hidden, n_outputs)
        Units per layer, e.g. ``(2, 3, 2)`` for the running example.

    Returns
    -------
    str
        A self-contained ``<svg>`` element (no XML prolog), ready to be
        printed into a page as raw HTML.

    Examples
    --------
    >>> svg = network_svg((2, 3, 2))
    >>> svg.startswith("<svg") and svg.endswith("</svg>")
    True
    >>> svg.count("<circle") // 2, svg.count("<line")  # 7 units, 6 + 6 weights + 2 targets
    (7, 14)
    """
    if len(layer_sizes) != 3 or any(int(n) != n or n < 1 for n in layer_sizes):
        raise ValueError(f"layer_sizes must be three positive integers, got {layer_sizes!r}")
    n_in, n_hid, n_out = (int(n) for n in layer_sizes)
    height = (max(layer_sizes) - 1) * ROW + 2 * MARGIN + 2 * RADIUS
    width = TARGET_X + RADIUS + MARGIN
    ys = [_column(n, height) for n in (n_in, n_hid, n_out)]
    # Labels sit on a halo of the page's background so crossing arrows stay readable.
    halo = (
        ' style="paint-order: stroke; stroke: var(--md-default-bg-color, #fff); '
        'stroke-width: 4px; stroke-linejoin: round"'
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'role="img" aria-labelledby="bp-net-title" class="bp-figure" '
        f'width="{width}" height="{height:.0f}" style="max-width: 100%; height: auto" '
        'font-family="inherit" fill="currentColor">',
        f'<title id="bp-net-title">A {n_in}-{n_hid}-{n_out} network: inputs x, hidden '
        "units h, outputs y compared with targets t; weights w join x to h, u join h to y"
        "</title>",
        '<defs><marker id="bp-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor" fill-opacity="0.7"/>'
        "</marker></defs>",
    ]
    parts += _edges(COLUMN_X[0:2], ys[0], ys[1], "w", HUES[0], halo)
    parts += _edges(COLUMN_X[1:3], ys[1], ys[2], "u", HUES[1], halo)
    # Each output is compared with its target: a dashed arrow to a square.
    for k, y in enumerate(ys[2], start=1):
        parts.append(
            f'<line x1="{COLUMN_X[2] + RADIUS:.1f}" y1="{y:.1f}" '
            f'x2="{TARGET_X - RADIUS - 3:.1f}" y2="{y:.1f}" stroke="currentColor" '
            'stroke-opacity="0.6" stroke-width="1.3" stroke-dasharray="5 4" '
            'marker-end="url(#bp-arrow)"/>'
        )
        side = 2 * RADIUS * 0.85
        parts.append(
            f'<rect x="{TARGET_X - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" '
            f'height="{side:.1f}" rx="6" fill="{HUES[3]}" fill-opacity="0.18" '
            f'stroke="{HUES[3]}" stroke-width="1.8"/>'
        )
        parts.append(_label("t", str(k), TARGET_X, y, 18))
    # Units last, so they sit on top of the arrows: a background disc, then a tint.
    for (symbol, hue, x), column in zip(zip("xhy", HUES, COLUMN_X), ys):
        for i, y in enumerate(column, start=1):
            parts.append(
                f'<circle cx="{x}" cy="{y:.1f}" r="{RADIUS}" '
                'style="fill: var(--md-default-bg-color, #fff)"/>'
            )
            parts.append(
                f'<circle cx="{x}" cy="{y:.1f}" r="{RADIUS}" fill="{hue}" fill-opacity="0.18" '
                f'stroke="{hue}" stroke-width="1.8"/>'
            )
            parts.append(_label(symbol, str(i), x, y, 18))
    # Layer names under each column.
    for name, x in zip(("input", "hidden", "output", "target"), (*COLUMN_X, TARGET_X)):
        parts.append(
            f'<text x="{x}" y="{height - 10:.0f}" font-size="13" text-anchor="middle" '
            f'fill-opacity="0.7">{name}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
