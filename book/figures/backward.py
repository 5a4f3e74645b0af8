"""Pictures of the backward pass (Chapters 5, 6, 8 and 13), drawn at build from the package's own numbers.

* ``graph_svg``: a graph of ``Value`` nodes exactly as ``network_graph`` (or any
  expression) built it, one column per step away from the leaves; with
  ``annotate=True`` every node shows its value and its adjoint and every edge its
  local derivative.
* ``network_svg``: the 2-3-2 network with each unit's delta on it and each weight's
  gradient on its edge (colour = sign, width = size); with ``paths_from_h=1`` the two
  paths from h1 to the loss are highlighted, each with its vote.
* ``recursion_svg``: the recursion (6.1) for one layer, deltas flowing back through
  the transposed weights and the slope.
* ``ratio_svg``: forward mode's cost over reverse mode's, against the number of
  parameters.

Everything is an SVG ``<text>`` in ``currentColor`` on halos of the page's background
(``--md-default-bg-color``), so the figures follow the light and dark palettes. The two
signs have two hues that read on both backgrounds. Each figure carries a ``<title>`` and
a ``<desc>`` (its text alternative); the pages add a caption.
"""

from __future__ import annotations

from html import escape

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")  # render to a file, never to a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from book.show import inline_svg, svg_style  # noqa: E402

NEGATIVE, POSITIVE = "#3f7fd8", "#d9782d"  # blue below zero, orange above (as in Chapter 2)
NEUTRAL = "#8a5cc9"
HALO = (' style="paint-order: stroke; stroke: var(--md-default-bg-color, #fff); '
        'stroke-width: 4px; stroke-linejoin: round"')
BG = 'style="fill: var(--md-default-bg-color, #fff)"'


def _fmt(v: float, digits: int = 3) -> str:
    text = f"{float(v):.{digits}f}"
    return "0." + "0" * digits if text == "-0." + "0" * digits else text.replace("-", "−")


SUB = str.maketrans("0123456789()+-l", "₀₁₂₃₄₅₆₇₈₉₍₎₊₋ₗ")
SUP = str.maketrans("0123456789()+-l", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻ˡ")


def _hue(v: float) -> str:
    return NEGATIVE if v < 0 else POSITIVE


def _text(x: float, y: float, body: str, size: float = 13, anchor: str = "middle", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'dominant-baseline="central"{HALO}{extra}>{body}</text>')


def _symbol(letter: str, sub: str = "", sup: str = "", size: float = 14) -> str:
    """An italic letter with an upright subscript and an optional superscript, as tspans."""
    out = f'<tspan font-style="italic">{escape(letter)}</tspan>'
    if sup:
        out += f'<tspan font-size="{0.7 * size:.1f}" dy="{-0.4 * size:.1f}">{escape(sup)}</tspan>'
    if sub:
        shift = 0.7 * size if sup else 0.3 * size
        out += f'<tspan font-size="{0.7 * size:.1f}" dy="{shift:.1f}">{escape(sub)}</tspan>'
    return out


def _open(width: float, height: float, ident: str, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="bp-figure" '
        'style="max-width: 100%; height: auto" font-family="inherit" fill="currentColor">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" '
        'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="currentColor" fill-opacity="0.7"/></marker></defs>'
    )


# --------------------------------------------------------------------- the graph itself

OP_SYMBOL = {"+": "+", "-": "−", "*": "×", "/": "÷", "neg": "−", "exp": "exp", "log": "log",
             "σ": "σ", "tanh": "tanh", "relu": "relu", "^2": "²"}


def _leaf_symbol(label: str, depth: int, first: int = 1) -> str:
    """A leaf's name in the book's notation: ``W1_12`` -> w12, ``b2_1`` -> b(2)1, ``x1``, ``t2``.

    Layers are numbered from ``first`` (a graph of the output layer alone has
    first=2 and its inputs are h); in a net of depth 2 the weights are w and u.
    """
    if label.startswith(("W", "b")):
        layer, idx = label[1:].split("_")
        layer = str(int(layer) + first - 1)
        if label[0] == "b":
            return _symbol("b", idx, f"({layer})")
        if depth + first - 1 == 2:
            return _symbol("wu"[int(layer) - 1], idx)
        return _symbol("w", idx, f"({layer})")
    if label[:1] in "xt" and label[1:].isdigit():
        letter = "h" if label[0] == "x" and first > 1 else label[0]
        return _symbol(letter, label[1:])
    return escape(label)


def layout(root) -> tuple[list, dict, dict]:
    """``(order, column, row)``: the graph's nodes, one column per step from the leaves.

    An operation sits one column right of its furthest parent; a leaf one column left
    of its first use. Rows are ordered to put nodes near the nodes they connect to.

    >>> from backprop_book import Value
    >>> a, b = Value(1.0, "a"), Value(2.0, "b")
    >>> order, column, row = layout((a * b + a).exp())
    >>> [column[id(v)] for v in order]
    [0, 0, 1, 2, 3]
    """
    order = root.topological_order()
    children: dict[int, list] = {id(v): [] for v in order}
    for v in order:
        for p in v.parents:
            children[id(p)].append(v)
    column: dict[int, int] = {}
    for v in order:
        column[id(v)] = 1 + max(column[id(p)] for p in v.parents) if v.parents else 0
    for v in reversed(order):  # leaves move next to their first use
        if not v.parents and children[id(v)]:
            column[id(v)] = min(column[id(c)] for c in children[id(v)]) - 1
    key = {id(v): float(i) for i, v in enumerate(order)}
    row: dict[int, float] = {}
    for _ in range(3):  # a few sweeps of the barycentre heuristic
        for v in order:
            if v.parents:
                key[id(v)] = sum(key[id(p)] for p in v.parents) / len(v.parents)
        for v in reversed(order):
            if not v.parents and children[id(v)]:
                key[id(v)] = sum(key[id(c)] for c in children[id(v)]) / len(children[id(v)]) - 0.01
        by_column: dict[int, list] = {}
        for v in order:
            by_column.setdefault(column[id(v)], []).append(v)
        for nodes in by_column.values():
            nodes.sort(key=lambda v: key[id(v)])
            for i, v in enumerate(nodes):
                row[id(v)] = i - (len(nodes) - 1) / 2
                key[id(v)] = float(i)
    return order, column, row


def _on_curve(start, mid, end, x):
    """The point at ``x`` of the edge drawn from ``start`` to ``end``: a cubic Bézier curve
    whose two control points sit at ``(mid, start_y)`` and ``(mid, end_y)``.

    >>> _on_curve((0, 0), 50, (100, 10), 50)  # half way along x is half way along y
    (50.0, 5.0)
    >>> x, y = _on_curve((0, 0), 50, (100, 10), 75)
    >>> x, 5 < y < 10
    (75.0, True)
    """
    (x0, y0), (x1, y1) = start, end
    lo, hi = 0.0, 1.0
    for _ in range(40):  # x(t) rises with t: bisect for x(t) = x
        t = (lo + hi) / 2
        xt = (1 - t) ** 3 * x0 + 3 * (1 - t) * t * mid + t ** 3 * x1
        lo, hi = (t, hi) if xt < x else (lo, t)
    t = (lo + hi) / 2
    return round(float(x), 1), round((1 - t) ** 3 * y0 + 3 * (1 - t) ** 2 * t * y0 + 3 * (1 - t) * t ** 2 * y1
                              + t ** 3 * y1, 1)


def graph_svg(root, *, annotate: bool = False, depth: int = 2, first: int = 1, ident: str = "bp-graph",
              title: str = "A computational graph") -> str:
    """The graph below ``root``: leaves as boxes, operations as circles, edges left to right.

    With ``annotate``, each node also shows its value (above) and its adjoint
    ``grad`` (below, coloured by sign), and each edge its local derivative: call
    ``root.backward()`` first. ``depth`` and ``first`` name the leaves (see ``_leaf_symbol``).

    >>> from backprop_book import Value
    >>> a, b = Value(2.0, "x1"), Value(-3.0, "t1")
    >>> c = (a * b - b) ** 2
    >>> c.backward()
    >>> svg = graph_svg(c, annotate=True)
    >>> svg.startswith("<svg") and svg.endswith("</svg>")
    True
    >>> svg.count("<circle") // 2, svg.count("<rect") // 2  # 3 operations, 2 leaves, each on a backdrop
    (3, 2)
    """
    order, column, row = layout(root)
    # annotated: columns close enough, and numbers large enough, that the numbers still
    # read at 9 px or more when a graph of nine columns is scaled to the page's width
    dx, dy = (96, 78) if annotate else (62, 40)
    small = 12  # the annotations' font size
    r = 17 if annotate else 13
    n_cols = max(column.values()) + 1
    top, bottom = min(row.values()), max(row.values())
    margin = 44 if annotate else 24
    width = (n_cols - 1) * dx + 2 * margin + 40
    height = (bottom - top) * dy + 2 * margin + (30 if annotate else 8)

    def xy(v):
        return margin + 20 + column[id(v)] * dx, margin + (row[id(v)] - top) * dy + (12 if annotate else 4)

    ops = [v for v in order if v.parents]
    counts = {}
    for v in ops:
        counts[OP_SYMBOL.get(v.op, v.op)] = counts.get(OP_SYMBOL.get(v.op, v.op), 0) + 1
    desc = (f"{len(order)} nodes: {len(order) - len(ops)} leaves and {len(ops)} operations ("
            + ", ".join(f"{n} {op}" for op, n in counts.items()) + ")"
            + ("; each node shows its value above and its adjoint below, each edge its local derivative"
               if annotate else "") + ".")
    parts = [_open(width, height, ident, title, desc)]
    edges, labels = [], []
    for v in ops:
        x1, y1 = xy(v)
        for p, d in zip(v.parents, v.local):
            x0, y0 = xy(p)
            x0 += r if p.parents else 22
            mid = (x0 + x1 - r) / 2
            edges.append(f'<path d="M {x0:.1f} {y0:.1f} C {mid:.1f} {y0:.1f}, {mid:.1f} {y1:.1f}, '
                         f'{x1 - r - 2:.1f} {y1:.1f}" fill="none" stroke="currentColor" '
                         f'stroke-opacity="0.45" stroke-width="1.2" marker-end="url(#{ident}-arrow)"/>')
            if annotate:  # in the first gap the edge crosses: its middle may sit on a node's value
                first_gap = (x0 + xy(p)[0] + dx - r) / 2
                lx, ly = _on_curve((x0, y0), mid, (x1 - r - 2, y1), min(mid, first_gap))
                labels.append(_text(lx, ly, _fmt(d), small,
                                    extra=' fill-opacity="0.85" font-style="italic"'))
    parts += edges + labels
    for v in order:
        x, y = xy(v)
        if v.parents:
            hue = NEUTRAL
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" {BG}/>')
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{hue}" fill-opacity="0.16" '
                         f'stroke="{hue}" stroke-width="1.5"/>')
            symbol = OP_SYMBOL.get(v.op, v.op)
            size = (18 if symbol == "²" else 14) if len(symbol) == 1 else 10
            parts.append(_text(x, y, escape(symbol), size))
        else:
            w = 44 if v.label else 34
            parts.append(f'<rect x="{x - w / 2:.1f}" y="{y - 12:.1f}" width="{w}" height="24" rx="5" {BG}/>')
            parts.append(f'<rect x="{x - w / 2:.1f}" y="{y - 12:.1f}" width="{w}" height="24" rx="5" '
                         'fill="currentColor" fill-opacity="0.06" stroke="currentColor" stroke-opacity="0.5"/>')
            body = _leaf_symbol(v.label, depth, first) if v.label else _fmt(v.data, 2).rstrip("0").rstrip(".")
            parts.append(_text(x, y, body, 13))
        if annotate:
            parts.append(_text(x, y - r - 10, _fmt(v.data), small))
            parts.append(_text(x, y + r + 10, _fmt(v.grad), small, extra=f' fill="{_hue(v.grad)}"'))
    parts.append("</svg>")
    return "".join(parts)


# ----------------------------------------------------------------------- the network

COLUMNS = (60, 300, 540, 660)  # x, h, y, L
ROW = 120
RADIUS = 26


def _ys(n: int, height: float) -> list[float]:
    top = (height - (n - 1) * ROW) / 2
    return [top + i * ROW for i in range(n)]


def _width(g: float, biggest: float) -> float:
    return 1.0 + 7.0 * abs(g) / biggest if biggest else 1.0


def network_svg(weights, deltas, weight_grads, *, paths_from_h: int | None = None,
                ident: str = "bp-backward") -> str:
    """A one-hidden-layer network with its deltas on the units and its gradients on the edges.

    ``deltas`` are ``[delta1, delta2]`` (hidden, output) for one sample, ``weight_grads``
    ``[grad_w, grad_u]``. An edge's colour is its gradient's sign (blue negative, orange
    positive) and its width the gradient's size. With ``paths_from_h=j`` the two paths
    from h_j through the outputs to the loss are drawn strong and the rest faint, and
    each path is labelled with its vote delta_k u_jk.

    >>> from backprop_book import running_example, backprop
    >>> ex = running_example()
    >>> wg, bg = backprop(ex.weights, ex.biases, ex.x, ex.t)
    >>> svg = network_svg(ex.weights, bg, wg)
    >>> svg.count("<line"), svg.count("<circle") // 2  # 6 + 6 weights + 2 into L; 7 units and L
    (14, 8)
    """
    w_grad, u_grad = (np.asarray(g, dtype=float) for g in weight_grads)
    d1, d2 = (np.asarray(d, dtype=float) for d in deltas)
    u = np.asarray(weights[1], dtype=float)
    n_in, n_hid = w_grad.shape
    n_out = u_grad.shape[1]
    height = (max(n_in, n_hid, n_out) - 1) * ROW + 2 * 70 + (40 if paths_from_h else 0)
    width = COLUMNS[3] + 60
    ys = [_ys(n, height) for n in (n_in, n_hid, n_out)]
    ly = height / 2
    biggest = max(np.abs(w_grad).max(), np.abs(u_grad).max())
    focus = paths_from_h is not None
    j_focus = (paths_from_h or 1) - 1
    if focus:
        title = f"The two paths from h{paths_from_h} to the loss"
        desc = (f"h{paths_from_h} reaches the loss through y1 and through y2. "
                + " ".join(f"Path through y{k + 1}: vote delta_{k + 1} u_{j_focus + 1}{k + 1} = "
                           f"{_fmt(d2[k], 4)} times {_fmt(u[j_focus, k], 2)} = {_fmt(d2[k] * u[j_focus, k], 4)}."
                           for k in range(n_out))
                + f" The votes add up to {_fmt(d2 @ u[j_focus], 4)}; times the slope the delta is "
                f"{_fmt(d1[j_focus], 4)}.")
    else:
        title = "The backward pass on the network: deltas on the units, gradients on the edges"
        desc = ("Hidden deltas " + ", ".join(_fmt(v, 4) for v in d1) + "; output deltas "
                + ", ".join(_fmt(v, 4) for v in d2) + ". Gradients of w by row: "
                + "; ".join(", ".join(_fmt(v, 4) for v in r) for r in w_grad) + ". Gradients of u by row: "
                + "; ".join(", ".join(_fmt(v, 4) for v in r) for r in u_grad)
                + ". Blue is negative, orange positive; a wider edge has a larger gradient.")
    parts = [_open(width, height, ident, title, desc)]
    labels = []

    def edge(x0, y0, x1, y1, g, text, along, strong=True, arrow=False):
        dx, dy = x1 - x0, y1 - y0
        n = (dx * dx + dy * dy) ** 0.5
        ux, uy = dx / n, dy / n
        sx, sy, ex, ey = x0 + ux * RADIUS, y0 + uy * RADIUS, x1 - ux * (RADIUS + 2), y1 - uy * (RADIUS + 2)
        opacity = 0.85 if strong else 0.18
        marker = f' marker-start="url(#{ident}-arrow)"' if arrow else ""
        parts.append(f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="{_hue(g)}" '
                     f'stroke-opacity="{opacity}" stroke-width="{_width(g, biggest):.2f}"{marker}/>')
        if text and strong:
            labels.append(_text(sx + (ex - sx) * along, sy + (ey - sy) * along, text, 12))

    for i, y0 in enumerate(ys[0]):
        for j, y1 in enumerate(ys[1]):
            edge(COLUMNS[0], y0, COLUMNS[1], y1, w_grad[i, j], _fmt(w_grad[i, j], 4),
                 0.3 + 0.4 * i / max(n_in - 1, 1), strong=not focus)
    for j, y0 in enumerate(ys[1]):
        for k, y1 in enumerate(ys[2]):
            on_path = focus and j == j_focus
            if focus:
                vote = d2[k] * u[j, k]
                edge(COLUMNS[1], y0, COLUMNS[2], y1, vote,
                     f"δ{str(k + 1).translate(SUB)}u{f'{j + 1}{k + 1}'.translate(SUB)} = {_fmt(vote, 4)}",
                     0.55, strong=on_path, arrow=on_path)
            else:
                edge(COLUMNS[1], y0, COLUMNS[2], y1, u_grad[j, k], _fmt(u_grad[j, k], 4),
                     0.3 + 0.4 * j / max(n_hid - 1, 1))
    for k, y in enumerate(ys[2]):  # each output feeds the loss
        parts.append(f'<line x1="{COLUMNS[2] + RADIUS:.1f}" y1="{y:.1f}" x2="{COLUMNS[3] - RADIUS - 2:.1f}" '
                     f'y2="{ly:.1f}" stroke="currentColor" stroke-opacity="{0.8 if focus else 0.5}" '
                     f'stroke-width="{2.2 if focus else 1.2}"'
                     + (f' marker-start="url(#{ident}-arrow)"' if focus else "") + "/>")
    parts += labels
    letters = [("x", None), ("h", d1), ("y", d2)]
    for (letter, delta), x, column in zip(letters, COLUMNS, ys):
        for i, y in enumerate(column):
            faded = focus and not (letter == "y" or (letter == "h" and i == j_focus))
            hue = _hue(delta[i]) if delta is not None else NEUTRAL
            opacity = 0.35 if faded else 1.0
            parts.append(f'<g opacity="{opacity}"><circle cx="{x}" cy="{y:.1f}" r="{RADIUS}" {BG}/>'
                         f'<circle cx="{x}" cy="{y:.1f}" r="{RADIUS}" fill="{hue}" fill-opacity="0.18" '
                         f'stroke="{hue}" stroke-width="2"/>'
                         + _text(x, y, _symbol(letter, str(i + 1), size=17), 17))
            if delta is not None:
                parts.append(_text(x, y + RADIUS + 14, f"δ = {_fmt(delta[i], 4)}", 12,
                                   extra=f' fill="{hue}"'))
            parts.append("</g>")
    parts.append(f'<circle cx="{COLUMNS[3]}" cy="{ly:.1f}" r="{RADIUS}" {BG}/>'
                 f'<circle cx="{COLUMNS[3]}" cy="{ly:.1f}" r="{RADIUS}" fill="currentColor" fill-opacity="0.08" '
                 'stroke="currentColor" stroke-width="2"/>' + _text(COLUMNS[3], ly, _symbol("L", size=18), 18))
    if focus:
        total = d2 @ u[j_focus]
        votes = " + ".join(f"δ{str(k + 1).translate(SUB)}u{f'{j_focus + 1}{k + 1}'.translate(SUB)}"
                           for k in range(n_out))
        parts.append(_text(COLUMNS[2] - 120, height - 22, f"error reaching h{str(j_focus + 1).translate(SUB)}:"
                           f" {votes} = {_fmt(total, 4)}", 14))
    parts.append("</svg>")
    return "".join(parts)


# ------------------------------------------------------------------ the recursion (6.1)


def recursion_svg(delta_next, W_next, h, delta, *, layer: int = 1, ident: str = "bp-recursion") -> str:
    """One step of the recursion (6.1): delta^(l+1) back through W^(l+1) transposed, times the slope.

    Right: the deltas of layer l+1. Each edge carries delta_k w_jk (colour = sign, width =
    size) back to unit j, where the votes are summed (the error reaching h_j), then
    multiplied by the slope h_j (1 - h_j), giving delta_j of layer l on the left.

    >>> from backprop_book import running_example, backprop, forward
    >>> ex = running_example()
    >>> x, h, y = forward(ex.weights, ex.biases, ex.x)
    >>> _, (d1, d2) = backprop(ex.weights, ex.biases, ex.x, ex.t)
    >>> svg = recursion_svg(d2, ex.weights[1], h, d1)
    >>> svg.count("<line"), "(6.1)" in svg  # 6 votes, and 2 arrows per hidden unit
    (12, True)
    """
    delta_next, W_next, h, delta = (np.asarray(a, dtype=float) for a in (delta_next, W_next, h, delta))
    n, m = W_next.shape
    xs = {"delta": 70, "slope": 215, "sum": 360, "next": 620}
    height = (max(n, m) - 1) * ROW + 150
    width = 700
    ys_l, ys_next = _ys(n, height - 30), _ys(m, height - 30)
    votes = delta_next[None, :] * W_next  # votes[j, k] = delta_k w_jk
    e = votes.sum(axis=1)
    slope = h * (1 - h)
    biggest = float(np.abs(votes).max()) or 1.0
    desc = ("Deltas of layer " + str(layer + 1) + ": " + ", ".join(_fmt(v, 4) for v in delta_next)
            + ". Error reaching each unit, the sum of delta_k w_jk: " + ", ".join(_fmt(v, 4) for v in e)
            + ". Slopes h(1 - h): " + ", ".join(_fmt(v, 4) for v in slope)
            + f". Deltas of layer {layer}: " + ", ".join(_fmt(v, 4) for v in delta) + ".")
    parts = [_open(width, height, ident, f"The recursion (6.1) from layer {layer + 1} to layer {layer}", desc)]
    labels = []
    for j, y0 in enumerate(ys_l):
        for k, y1 in enumerate(ys_next):
            v = votes[j, k]
            x0, x1 = xs["sum"] + 22, xs["next"] - RADIUS - 2
            parts.append(f'<line x1="{x0}" y1="{y0:.1f}" x2="{x1}" y2="{y1:.1f}" stroke="{_hue(v)}" '
                         f'stroke-opacity="0.8" stroke-width="{1 + 6 * abs(v) / biggest:.2f}" '
                         f'marker-start="url(#{ident}-arrow)"/>')
            along = 0.25 + 0.5 * k / max(m - 1, 1)
            labels.append(_text(x0 + (x1 - x0) * along, y0 + (y1 - y0) * along, _fmt(v, 4), 11))
        for a, b in (("slope", "sum"), ("delta", "slope")):
            parts.append(f'<line x1="{xs[a] + 34}" y1="{y0:.1f}" x2="{xs[b] - 24}" y2="{y0:.1f}" '
                         f'stroke="currentColor" stroke-opacity="0.6" stroke-width="1.4" '
                         f'marker-start="url(#{ident}-arrow)"/>')
    parts += labels
    for j, y in enumerate(ys_l):
        parts.append(f'<circle cx="{xs["sum"]}" cy="{y:.1f}" r="20" {BG}/><circle cx="{xs["sum"]}" cy="{y:.1f}" '
                     f'r="20" fill="{NEUTRAL}" fill-opacity="0.16" stroke="{NEUTRAL}" stroke-width="1.5"/>'
                     + _text(xs["sum"], y, "Σ", 16) + _text(xs["sum"], y + 34, _fmt(e[j], 4), 12))
        parts.append(f'<rect x="{xs["slope"] - 34}" y="{y - 16:.1f}" width="68" height="32" rx="6" {BG}/>'
                     f'<rect x="{xs["slope"] - 34}" y="{y - 16:.1f}" width="68" height="32" rx="6" '
                     'fill="currentColor" fill-opacity="0.06" stroke="currentColor" stroke-opacity="0.5"/>'
                     + _text(xs["slope"], y, f"× {_fmt(slope[j], 4)}", 12)
                     + _text(xs["slope"], y + 30, f"h{str(j + 1).translate(SUB)}(1 − h{str(j + 1).translate(SUB)})", 12,
                           extra=' fill-opacity="0.8"'))
        hue = _hue(delta[j])
        parts.append(f'<circle cx="{xs["delta"]}" cy="{y:.1f}" r="{RADIUS}" {BG}/><circle cx="{xs["delta"]}" '
                     f'cy="{y:.1f}" r="{RADIUS}" fill="{hue}" fill-opacity="0.18" stroke="{hue}" stroke-width="2"/>'
                     + _text(xs["delta"], y, _symbol("δ", str(j + 1), f"({layer})", 16), 16)
                     + _text(xs["delta"], y + RADIUS + 13, _fmt(delta[j], 4), 12, extra=f' fill="{hue}"'))
    for k, y in enumerate(ys_next):
        hue = _hue(delta_next[k])
        parts.append(f'<circle cx="{xs["next"]}" cy="{y:.1f}" r="{RADIUS}" {BG}/><circle cx="{xs["next"]}" '
                     f'cy="{y:.1f}" r="{RADIUS}" fill="{hue}" fill-opacity="0.18" stroke="{hue}" stroke-width="2"/>'
                     + _text(xs["next"], y, _symbol("δ", str(k + 1), f"({layer + 1})", 16), 16)
                     + _text(xs["next"], y + RADIUS + 13, _fmt(delta_next[k], 4), 12, extra=f' fill="{hue}"'))
    for name, x in ((f"δ{f'({layer})'.translate(SUP)}", xs["delta"]), ("× slope", xs["slope"]),
                    ("sum of the votes", xs["sum"]), (f"δ{f'({layer + 1})'.translate(SUP)}", xs["next"])):
        parts.append(_text(x, height - 14, escape(name), 14, extra=' fill-opacity="0.75"'))
    parts.append("</svg>")
    return "".join(parts)


# ------------------------------------------------------------- forward versus reverse


def ratio_svg(parameters, count_ratio, time_ratio) -> str:
    """Forward mode's cost divided by reverse mode's, counted and timed, against P.

    >>> svg = ratio_svg([12, 30], [3.0, 8.0], [2.5, 9.0])
    >>> svg.startswith("<svg") and "currentColor" in svg
    True
    """
    ink = "#030303"
    with plt.rc_context(svg_style("bp-ch13-ratio", ink)):
        fig, ax = plt.subplots(figsize=(6.0, 3.3))
        try:
            ax.plot(parameters, count_ratio, "o-", color=NEUTRAL, lw=2, label="operations, counted")
            ax.plot(parameters, time_ratio, "s--", color=POSITIVE, lw=2, label="seconds, measured")
            ax.set_xscale("log")
            ax.set_yscale("log")
            for axis in (ax.xaxis, ax.yaxis):  # plain labels: log axes default to mathtext
                axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
                axis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            ax.set_xlabel("parameters P (weights and biases)")
            ax.set_ylabel("forward mode / reverse mode")
            ax.spines[["top", "right"]].set_visible(False)
            ax.legend(frameon=False)
        except BaseException:
            plt.close(fig)
            raise
        return inline_svg(fig, ink)
