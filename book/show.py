"""How the chapters print values and figures: formatting only, never any of the math.

Imported by the chapters' hidden setup blocks. The numbers these helpers format
always come from ``backprop_book``; the helpers only turn them into LaTeX or
Markdown, so that a value in the prose is the value the page just computed.
``num`` is the one number formatter and ``md_table`` the one Markdown table
writer (``matrix_table`` and ``side_by_side`` lay tables out with it). ``svg_style`` and ``inline_svg`` are the one copy of how the
Matplotlib figures (Chapters 3, 9, 10 and 11) become inline ``<svg>``, and
``readable_width`` says how wide any figure must be drawn for its text to be read.
"""

import math
import numbers
import re


def num(v: float, digits: int = 4) -> str:
    """A number with a fixed count of decimals and no negative zero, e.g. ``-0.0983``.

    >>> num(-0.098266), num(-0.00001), num(0.5, 2), num(-0.2, 0)
    ('-0.0983', '0.0000', '0.50', '0')
    """
    text = f"{float(v):.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def par(v: float, digits: int = 4) -> str:
    """A number ready to be substituted into a product: negatives in parentheses.

    >>> par(0.7, 1), par(-0.3, 1)
    ('0.7', '(-0.3)')
    """
    text = num(v, digits)
    return f"({text})" if text.startswith("-") else text


def tex_matrix(a, digits: int = 4) -> str:
    r"""A 1-D array as a row vector, a 2-D array as a matrix, in LaTeX.

    >>> import numpy as np
    >>> tex_matrix(np.array([[1.0, -2.0]]), 1)
    '\\begin{pmatrix} 1.0 & -2.0 \\end{pmatrix}'
    """
    rows = [a] if getattr(a, "ndim", 1) == 1 else list(a)
    body = r" \\ ".join(" & ".join(num(v, digits) for v in row) for row in rows)
    return rf"\begin{{pmatrix}} {body} \end{{pmatrix}}"


def md_table(header: list[str], rows: list[list[object]], digits: int = 4) -> str:
    """A Markdown table; strings and integers are kept, other numbers go through ``num``.

    >>> print(md_table(["unit", "value"], [[1, 0.57444], ["$h_2$", -0.5]]))
    | unit | value |
    |---|---|
    | 1 | 0.5744 |
    | $h_2$ | -0.5000 |
    """

    def cell(v: object) -> str:
        return str(v) if isinstance(v, (str, numbers.Integral)) else num(v, digits)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def matrix_table(corner: str, rows: list[str], cols: list[str], a, digits: int = 4) -> str:
    """A 2-D array as a table with labelled rows and columns.

    >>> import numpy as np
    >>> print(matrix_table("", ["$x_1$"], ["$h_1$", "$h_2$"], np.array([[0.1, -0.2]])))
    |  | $h_1$ | $h_2$ |
    |---|---|---|
    | $x_1$ | 0.1000 | -0.2000 |
    """
    return md_table([corner, *cols], [[r, *a[i]] for i, r in enumerate(rows)], digits)


def side_by_side(*tables: str) -> str:
    r"""Tables laid out next to each other (Material's ``grid``), stacked on a narrow screen.

    >>> print(side_by_side("| a |\n|---|", "| b |\n|---|"))
    <div class="grid" markdown>
    <BLANKLINE>
    | a |
    |---|
    <BLANKLINE>
    | b |
    |---|
    <BLANKLINE>
    </div>
    """
    return '<div class="grid" markdown>\n\n' + "\n\n".join(tables) + "\n\n</div>"


def display(*named, per_line: int = 2, digits: int = 4) -> str:
    r"""Display math naming arrays: ``display((r"\mathbf{x}", x), ...)``.

    Each pair is a LaTeX symbol and an array; ``per_line`` of them share a line.

    >>> import numpy as np
    >>> print(display(("x", np.array([1.0, 2.0])), digits=1))
    $$
    x = \begin{pmatrix} 1.0 & 2.0 \end{pmatrix}
    $$
    """
    items = [f"{symbol} = {tex_matrix(value, digits)}" for symbol, value in named]
    lines = [r", \qquad ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    if len(lines) == 1:
        return "$$\n" + lines[0] + "\n$$"
    body = r" \\[8pt] ".join(lines)
    return "$$\n" + rf"\begin{{gathered}} {body} \end{{gathered}}" + "\n$$"


def tex(template: str, digits: int = 4, **values) -> str:
    r"""Display math with numbers put in: each ``<name>`` becomes ``values[name]``.

    Lets a page write the formula once, as LaTeX, and fill in the values it
    has just computed, instead of typing numbers that the code could contradict.
    A negative number gets parentheses where it follows an operator, and none
    at the start, after ``=`` or after an opening bracket.

    >>> print(tex(r"u - \eta g = <u> - <eta> \cdot <g> = <new>", u=0.7, eta=0.5, g=-0.05641, new=0.728))
    $$
    u - \eta g = 0.7000 - 0.5000 \cdot (-0.0564) = 0.7280
    $$
    >>> print(tex(r"<a> + <b>", a=-1.0, b=-2.0, digits=1))
    $$
    -1.0 + (-2.0)
    $$
    """

    def value(match):
        before = template[: match.start()].rstrip()
        bare = before == "" or before.endswith(("=", "(", "[", "{"))
        return (num if bare else par)(values[match.group(1)], digits)

    return "$$\n" + re.sub(r"<(\w+)>", value, template) + "\n$$"


def svg_style(salt: str, ink: str) -> dict:
    """Matplotlib settings for a figure that goes inline into a page.

    Text stays ``<text>`` in the page's font, labels are plain Unicode (no
    mathtext fonts to ship), and axes, ticks and labels are drawn in ``ink``,
    which ``inline_svg`` hands over to the page's text colour. ``salt`` is the
    figure's ``svg.hashsalt``: stable ids, so rebuilds give the same page.

    >>> style = svg_style("bp-x", "#010101")
    >>> style["svg.hashsalt"], style["svg.fonttype"], style["axes.edgecolor"]
    ('bp-x', 'none', '#010101')
    """
    return {
        "svg.fonttype": "none",  # keep <text>, in the page's font
        "svg.hashsalt": salt,
        "font.family": "sans-serif",
        "font.size": 11,
        "text.parse_math": False,  # plain Unicode labels: no mathtext fonts to ship
        "text.color": ink,
        "axes.edgecolor": ink,
        "axes.labelcolor": ink,
        "xtick.color": ink,
        "ytick.color": ink,
    }


def inline_svg(fig, ink: str) -> str:
    """Serialise a Matplotlib figure to an inline ``<svg>`` and close it.

    Call it inside ``plt.rc_context(svg_style(...))``: the settings apply when
    the figure is written. Colour ``ink`` becomes ``currentColor``, so the
    figure follows the light/dark switch, and the figure scales with the page.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> with plt.rc_context(svg_style("bp-doctest", "#010101")):
    ...     fig, ax = plt.subplots()
    ...     _ = ax.plot([0, 1], [0, 1], color="#010101")
    ...     svg = inline_svg(fig, "#010101")
    >>> svg.startswith('<svg class="bp-figure"'), "#010101" in svg, plt.fignum_exists(fig.number)
    (True, False, False)
    """
    import io

    import matplotlib.pyplot as plt  # only the figure code needs Matplotlib

    try:
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
    finally:
        plt.close(fig)  # builds run many times in one process (mkdocs serve)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):].replace(ink, "currentColor")  # no XML prolog: this goes inline
    return svg.replace("<svg ", '<svg class="bp-figure" style="max-width: 100%; height: auto" ', 1)


READABLE_PX = 9.0  # the smallest figure text a reader should have to read, in CSS pixels
_VIEWBOX = re.compile(r"""<svg\b[^>]*?\bviewBox=["'][-\d.]+[ ,]+[-\d.]+[ ,]+([\d.]+)""")
_TEXT = re.compile(r"<text\b[^>]*>")
_FONT_SIZE = re.compile(r"""font-size(?:=["']|:\s*)([\d.]+)""")


def readable_width(svg: str, smallest: float = READABLE_PX) -> int | None:
    """The width, in CSS pixels, at which the smallest text of ``svg`` is ``smallest`` px.

    An inline SVG scales with its box: text of font size ``f`` in a view box ``w`` wide is
    ``f * width / w`` pixels high at ``width``. None for a figure without text or view box.

    >>> readable_width('<svg viewBox="0 0 600 300"><text font-size="12">a</text>'
    ...                '<text style="font-size: 10px">b<tspan font-size="7">2</tspan></text></svg>')
    541
    >>> readable_width('<svg viewBox="0 0 600 300"><path d="M0 0"/></svg>') is None
    True
    """
    box = _VIEWBOX.search(svg)
    # each <text>'s own size: a subscript <tspan> inside it may be smaller, as in print
    sizes = [float(f) for tag in _TEXT.findall(svg) for f in _FONT_SIZE.findall(tag) if float(f) > 0]
    if not box or not sizes:
        return None
    return math.ceil(smallest * float(box[1]) / min(sizes)) + 1  # a pixel over: rounding in layout


_FIGURE = re.compile(r'<figure class="bp-figure">\s*<svg\b')
_SVG_TAG = re.compile(r"<(/?)svg\b[^>]*>")


def _svg_end(html: str, start: int) -> int:
    """Where the ``<svg>`` element that opens at ``start`` ends (nested ``<svg>`` counted)."""
    depth = 0
    for tag in _SVG_TAG.finditer(html, start):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return tag.end()
    return -1


def framed_figures(html: str) -> str:
    """Every figure's SVG with its readable minimum width, in a frame that may scroll.

    >>> page = '<figure class="bp-figure"><svg viewBox="0 0 600 300" style="max-width: 100%">'
    >>> page += '<text font-size="10">a</text></svg><figcaption>c</figcaption></figure>'
    >>> print(framed_figures(page))
    <figure class="bp-figure"><div class="bp-figure-frame"><svg viewBox="0 0 600 300" \
style="min-width: 541px; max-width: 100%"><text font-size="10">a</text></svg></div><figcaption>c</figcaption></figure>
    """
    out, done = [], 0
    for figure in _FIGURE.finditer(html):
        start = figure.end() - len("<svg")
        end = _svg_end(html, start)
        if end < 0 or start < done:
            continue
        svg = html[start:end]
        width = readable_width(svg)
        if width is not None:
            opening = _SVG_TAG.match(svg)[0]
            if 'style="' in opening:
                styled = opening.replace('style="', f'style="min-width: {width}px; ', 1)
            else:
                styled = opening[:-1] + f' style="min-width: {width}px">'
            svg = styled + svg[len(opening):]
        out += [html[done:start], '<div class="bp-figure-frame">', svg, "</div>"]
        done = end
    return "".join(out) + html[done:]
