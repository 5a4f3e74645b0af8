"""Chapter 12's chart: the committed benchmark run, drawn at build, in the page's colours.

Reads the report that ``benchmarks/backprop.py`` wrote (``benchmarks/results/
backprop.json``; nothing is timed here) and draws one panel per regime: the tiny
2-3-2 network, where every call is overhead, and the 784-256-10 network, where the
matrix products dominate. Axes and labels are drawn in ``INK``, which becomes
``currentColor`` so that they follow the light/dark switch; text is 11 pt, at the
size of the page's own text.
"""

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # render to a file, never to a window

import matplotlib.pyplot as plt  # noqa: E402

from book.show import inline_svg, md_table, svg_style  # noqa: E402

INK = "#030303"  # drawn in this colour, then handed over to the page's text colour
STYLE = svg_style("bp-ch12", INK)
REPORT = Path("benchmarks/results/backprop.json")
# The contenders, in the report's names, with a short label and a colour that reads on
# both palettes.
CONTENDERS = {
    "backprop_book (NumPy)": ("book, NumPy", "#3f7fd8"),
    "PyTorch autograd": ("PyTorch autograd", "#e05a47"),
    "backprop_book (PyTorch)": ("book, PyTorch tensors", "#9b6bd0"),
    "floor (NumPy)": ("matrix products only", "#8c8c8c"),
}


def load(path: Path = REPORT) -> dict:
    """The benchmark report (``benchmarks/results/backprop.json`` by default)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def medians(report: dict, scale: float = 1e6) -> dict:
    """``{case label: {contender: median time * scale}}`` (microseconds by default).

    >>> r = {"results": [{"label": "c", "timings": {"x": {"median_s": 2e-6}}}]}
    >>> medians(r)
    {'c': {'x': 2.0}}
    """
    return {
        r["label"]: {name: t["median_s"] * scale for name, t in r["timings"].items()}
        for r in report["results"]
    }


def benchmark_svg(report: dict) -> str:
    """Median time per gradient, one bar per contender, float64 cases only.

    >>> svg = benchmark_svg(load())
    >>> svg.startswith("<svg") and INK not in svg and "#ffffff" not in svg.lower()
    True
    """
    cases = [r for r in report["results"] if r["dtype"] == "float64"]
    panels = [
        ([r for r in cases if r["batch"] < 512], 1e6, "µs"),
        ([r for r in cases if r["batch"] >= 512], 1e3, "ms"),
    ]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 2, figsize=(6.8, 3.6), width_ratios=[2, 1])
        width = 0.2
        for ax, (group, scale, unit) in zip(axes, panels):
            for i, (name, (label, colour)) in enumerate(CONTENDERS.items()):
                xs = [j + (i - 1.5) * width for j in range(len(group))]
                med = [r["timings"][name]["median_s"] * scale for r in group]
                ax.bar(xs, med, width, color=colour, label=label)
            ax.set_xticks(range(len(group)))
            ax.set_xticklabels([r["label"].split(" float")[0].replace(" batch", "\nbatch")
                                for r in group])
            ax.set_ylabel(f"median time per gradient ({unit})")
            ax.spines[["top", "right"]].set_visible(False)
        # below the left panel, centred on the figure: an axes legend, so that the
        # layout leaves room for it
        axes[0].legend(ncols=2, loc="upper center", bbox_to_anchor=(0.75, -0.22), frameon=False)
        return inline_svg(fig, INK)


def ratios_table(report: dict) -> str:
    """The float64 cases as a Markdown table: how far the book's ``backprop`` is from
    the floor, and how many times faster than PyTorch autograd it is.

    >>> print(ratios_table(load()).splitlines()[0])
    | network | book ÷ floor | autograd ÷ book | autograd ÷ book on tensors |
    """
    rows = [
        [r["label"].replace(" float64", ""), *(f"{r['ratios'][k]:.2f}×" for k in
         ("numpy_over_floor", "autograd_over_numpy", "autograd_over_book_torch"))]
        for r in report["results"] if r["dtype"] == "float64"
    ]
    return md_table(["network", "book ÷ floor", "autograd ÷ book",
                     "autograd ÷ book on tensors"], rows)
