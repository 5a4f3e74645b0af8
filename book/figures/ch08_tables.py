"""Chapter 8's table (the worked example): formatting only, never any of the math.

Imported by the chapter's hidden block after the update. Every number it
receives was computed by ``backprop_book`` in the page; it only lays the numbers
out as a Markdown table, which markdown-exec then renders.
"""

import numpy as np

from book.show import md_table, num


def update_table(old: dict, grads: dict, new: dict, digits: int = 4) -> str:
    """One row per parameter: its name, old value, gradient and new value.

    The three dicts map a parameter's LaTeX symbol (``"w"``, ``"b^{(1)}"``) to
    an array; a matrix entry gets two indices, a vector entry one.

    >>> print(update_table({"b": np.array([1.0])}, {"b": np.array([0.5])}, {"b": np.array([0.75])}))
    | parameter | old | gradient | new |
    |---|---|---|---|
    | $b_{1}$ | 1.0000 | 0.5000 | 0.7500 |
    """
    rows = []
    for name, before in old.items():
        for index, value in np.ndenumerate(before):
            sub = "".join(str(i + 1) for i in index)
            rows.append([f"${name}_{{{sub}}}$", *(num(v, digits) for v in
                         (value, grads[name][index], new[name][index]))])
    return md_table(["parameter", "old", "gradient", "new"], rows)
