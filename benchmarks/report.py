"""Turn the benchmark's JSON into tables: for the terminal and for Chapter 12.

``benchmarks/backprop.py`` prints its table with these functions, and the
Performance chapter pulls this file into an executed block (snippets) to render
the committed ``benchmarks/results/backprop.json`` at build time, so the page and
the terminal show the same numbers from the same file. Formatting only: no
timing happens here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

NUMPY, AUTOGRAD, BOOK_TORCH, FLOOR = (
    "backprop_book (NumPy)",
    "PyTorch autograd",
    "backprop_book (PyTorch)",
    "floor (NumPy)",
)
CONTENDERS = [NUMPY, AUTOGRAD, BOOK_TORCH, FLOOR]


def load(path: str | Path = "benchmarks/results/backprop.json") -> dict[str, Any]:
    """The benchmark's report, read from ``path`` (relative to the repository root)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def us(seconds: float) -> str:
    """A time in microseconds, with as many digits as it deserves.

    >>> us(6.21e-05), us(0.0123456)
    ('62.1', '12,346')
    """
    value = seconds * 1e6
    return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}"


def ratio(value: float) -> str:
    """A ratio such as ``2.41×``.

    >>> ratio(2.4149)
    '2.41×'
    """
    return f"{value:.2f}×"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, numbers right-aligned.

    >>> print(markdown_table(["case", "time"], [["a", "1.0"]]))
    | case | time |
    |:---|---:|
    | a | 1.0 |
    """
    lines = ["| " + " | ".join(header) + " |", "|:---|" + "---:|" * (len(header) - 1)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def times_table(report: dict[str, Any]) -> str:
    """Median microseconds per gradient for every case and contender."""
    header = ["case", *[f"{name} (µs)" for name in CONTENDERS]]
    rows = [[r["label"], *[us(r["timings"][name]["median_s"]) for name in CONTENDERS]] for r in report["results"]]
    return markdown_table(header, rows)


def ratios_table(report: dict[str, Any]) -> str:
    """The ratios of medians that the targets are stated in."""
    header = [
        "case",
        "backprop_book ÷ floor",
        "PyTorch autograd ÷ backprop_book",
        "PyTorch autograd ÷ backprop_book on tensors",
    ]
    rows = [
        [
            r["label"],
            ratio(r["ratios"]["numpy_over_floor"]),
            ratio(r["ratios"]["autograd_over_numpy"]),
            ratio(r["ratios"]["autograd_over_book_torch"]),
        ]
        for r in report["results"]
    ]
    return markdown_table(header, rows)


def _spread(r: dict[str, Any], name: str) -> str:
    q = r.get("ratio_quartiles", {}).get(name)
    return f" ({q[0]:.2f}–{q[1]:.2f})" if q else ""


def targets(report: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """Each target of the benchmark (issue 9): (what, measured median ratio with its quartiles, met)."""
    out = []
    for r in report["results"]:
        q = r["ratios"]
        floor, autograd, torch_book = q["numpy_over_floor"], q["autograd_over_numpy"], q["autograd_over_book_torch"]
        if r["batch"] >= 512:  # matrix-bound, both dtypes
            out.append((f"{r['label']}: NumPy path within 1.25× the floor",
                        ratio(floor) + _spread(r, "numpy_over_floor"), floor <= 1.25))
        else:  # overhead-bound: at most half of autograd's time
            out.append((f"{r['label']}: NumPy path at most 0.5× autograd's time (autograd ÷ book ≥ 2)",
                        "autograd ÷ book " + ratio(autograd) + _spread(r, "autograd_over_numpy"),
                        autograd >= 2.0))
        # book on PyTorch tensors, in every case: no slower than autograd
        out.append((f"{r['label']}: book on PyTorch tensors no slower than autograd (≥ 1)",
                    "autograd ÷ book " + ratio(torch_book) + _spread(r, "autograd_over_book_torch"),
                    torch_book >= 1.0))
    return out


def targets_table(report: dict[str, Any]) -> str:
    """The targets as a table, with the measured ratio and whether it was met."""
    rows = [[what, measured, "yes" if met else "**no**"] for what, measured, met in targets(report)]
    return markdown_table(["target", "measured", "met"], rows)


def faults_table(report: dict[str, Any]) -> str:
    """Minor page faults per gradient (median), the cost that hides in fresh temporaries."""
    header = ["case", *CONTENDERS]
    rows = [
        [r["label"], *[f"{r['timings'][name]['minor_faults_per_call']:,.0f}" for name in CONTENDERS]]
        for r in report["results"]
    ]
    return markdown_table(header, rows)


def machine_list(report: dict[str, Any]) -> str:
    """Where and how the committed numbers were measured, as a Markdown list."""
    m = report["machine"]
    blas = "; ".join(
        f"{b['internal_api']} {b['version']}, kernel {b['architecture']}, "
        f"{b['num_threads']} thread{'s' if b['num_threads'] != 1 else ''}"
        for b in m["numpy_blas"]
    )
    env = ", ".join(f"{k}={v}" for k, v in m["openblas_env"].items() if v is not None) or "neither set"
    load_before, load_after = m["load_average_before"][0], m["load_average_after"][0]
    return "\n".join(
        [
            f"- **CPU**: {m['cpu']}, {m['logical_cpus']} logical CPUs; {m['platform']}",
            f"- **threads**: {m['threads']} for every contender (NumPy's BLAS through threadpoolctl, "
            f"PyTorch through `torch.set_num_threads`, which reports {m['torch_num_threads']})",
            f"- **NumPy {m['numpy']}** BLAS: {blas}",
            f"- **PyTorch {m['torch']}** BLAS: {m['torch_blas']}, CPU capability {m['torch_cpu_capability']}",
            f"- **OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE**: {env}",
            f"- **Python** {m['python']}; backprop_book at commit {m['backprop_book_commit']}",
            f"- **when**: {report['date_utc']} UTC, {report['rounds']} interleaved rounds of "
            f"{report['sample_time_s'] * 1000:.0f} ms samples per contender, {report['wall_time_s']:.0f} s in all; "
            f"load average {load_before:.2f} before and {load_after:.2f} after",
        ]
    )


def text_table(report: dict[str, Any]) -> str:
    """The terminal's table: medians in microseconds and the ratios."""
    head = (
        f"{'case':<30}{'book NumPy':>12}{'autograd':>12}{'book torch':>12}{'floor':>12}"
        f"{'book/floor':>12}{'autograd/book':>15}{'autograd/book-torch':>21}"
    )
    lines = [head, "-" * len(head)]
    for r in report["results"]:
        t = {name: r["timings"][name]["median_s"] * 1e6 for name in CONTENDERS}
        q = r["ratios"]
        lines.append(
            f"{r['label']:<30}{t[NUMPY]:>10.1f}us{t[AUTOGRAD]:>10.1f}us{t[BOOK_TORCH]:>10.1f}us"
            f"{t[FLOOR]:>10.1f}us{q['numpy_over_floor']:>11.2f}x{q['autograd_over_numpy']:>14.2f}x"
            f"{q['autograd_over_book_torch']:>20.2f}x"
        )
    lines.append("")
    lines += [f"{'met' if met else 'MISSED':>6}  {what}: {measured}" for what, measured, met in targets(report)]
    return "\n".join(lines)


def before_after_table(before: dict[str, Any], after: dict[str, Any]) -> str:
    """backprop_book on NumPy before and after the performance work, each against its own floor."""
    header = ["case", "before (µs)", "after (µs)", "speed-up", "÷ floor before", "÷ floor after"]
    rows = []
    for b, a in zip(before["results"], after["results"]):
        assert b["label"] == a["label"], (b["label"], a["label"])
        tb, ta = b["timings"][NUMPY]["median_s"], a["timings"][NUMPY]["median_s"]
        rows.append(
            [
                a["label"],
                us(tb),
                us(ta),
                ratio(tb / ta),
                ratio(b["ratios"]["numpy_over_floor"]),
                ratio(a["ratios"]["numpy_over_floor"]),
            ]
        )
    return markdown_table(header, rows)


def flops_table(report: dict[str, Any]) -> str:
    """What the floor computes in each case: the products' floating-point operations."""
    rows = []
    for r in report["results"]:
        if r["dtype"] != "float64":
            continue
        n, sizes = r["batch"], r["sizes"]
        layers = list(zip(sizes, sizes[1:]))
        forward = sum(2 * n * a * b for a, b in layers)  # X W
        weight = sum(2 * n * a * b for a, b in layers)  # H^T Delta
        back = sum(2 * n * a * b for a, b in layers[1:])  # Delta W^T, not for the first layer
        total = forward + weight + back
        floor_s = r["timings"][FLOOR]["median_s"]
        rows.append(
            [
                f"{'-'.join(map(str, sizes))} batch {n}",
                f"{forward:,}",
                f"{weight:,}",
                f"{back:,}",
                f"{total / floor_s / 1e9:.3g}",
            ]
        )
    return markdown_table(["network", "X W flops", "H^T Δ flops", "Δ W^T flops", "floor GFLOP/s (float64)"], rows)
