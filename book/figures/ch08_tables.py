"""Tables for Chapter 8 (the worked example): formatting only, never any of the math.

Pulled into the chapter's first executed block with snippets. Every number these
helpers receive was computed by ``backprop_book`` in the page; they only lay the
numbers out as Markdown tables, which markdown-exec then renders.
"""


def fmt(v: float, digits: int = 4) -> str:
    """A number with a fixed count of decimals and no negative zero.

    >>> fmt(-0.098266), fmt(-0.00001), fmt(0.5, 2)
    ('-0.0983', '0.0000', '0.50')
    """
    text = f"{float(v):.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def table(header: list[str], rows: list[list[object]], digits: int = 4) -> str:
    """A Markdown table; floats are formatted with ``fmt``, strings and ints are kept.

    >>> print(table(["unit", "value"], [[1, 0.57444], ["$h_2$", -0.5]]))
    | unit | value |
    |---|---|
    | 1 | 0.5744 |
    | $h_2$ | -0.5000 |
    """
    def show(v: object) -> str:
        return str(v) if isinstance(v, (str, int)) else fmt(v, digits)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(show(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def matrix_table(corner: str, rows: list[str], cols: list[str], a, digits: int = 4) -> str:
    """A 2-D array as a table with labelled rows and columns.

    >>> import numpy as np
    >>> print(matrix_table("", ["$x_1$"], ["$h_1$", "$h_2$"], np.array([[0.1, -0.2]])))
    |  | $h_1$ | $h_2$ |
    |---|---|---|
    | $x_1$ | 0.1000 | -0.2000 |
    """
    return table([corner, *cols], [[r, *a[i]] for i, r in enumerate(rows)], digits)


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
