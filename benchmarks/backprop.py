"""Time one gradient computation of backprop_book against PyTorch autograd and the matrix-product floor.

Run it from the repository root (``make bench`` does, with the ``bench`` extra installed)::

    python benchmarks/backprop.py            # the full run: table, JSON and chart
    python benchmarks/backprop.py --quick    # a few rounds, to see that it works

Four ways to get every weight and bias gradient of a sigmoid network under the
summed L2 loss, on the same weights and data:

* ``backprop_book (NumPy)``: ``backprop(weights, biases, x, t)`` on NumPy arrays;
* ``PyTorch autograd``: the same network written with torch operations in eager
  mode, ``loss.backward()``, gradients read from ``.grad``;
* ``backprop_book (PyTorch)``: ``backprop`` on plain CPU tensors (the Array API
  path: no autograd tape);
* ``floor (NumPy)``: only the matrix products that backpropagation cannot avoid,
  timed alone: ``X W`` for every layer, ``H^T Delta`` for every layer and
  ``Delta W^T`` for every layer but the first.

Every contender runs on the same number of threads (``--threads``), for NumPy's
BLAS through threadpoolctl and for PyTorch through ``torch.set_num_threads``.
After a warm-up, the contenders run interleaved (A, B, C, D, A, B, C, D, ...),
so a burst of load on a shared machine hits all of them; the report gives
medians, and for each ratio the median and quartiles of the
per-round ratios. Before timing, the three gradient computations
are checked against each other, so the benchmark never times a wrong answer.

OpenBLAS reads ``OPENBLAS_CORETYPE`` when NumPy is imported; where it is set,
run this script with it unset (``make bench`` does) and check the kernel named
in the report.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # the working tree's package, even without an install
sys.path.insert(0, str(ROOT / "benchmarks"))  # report.py, the tables shared with Chapter 12

from backprop_book import backprop  # noqa: E402
from report import AUTOGRAD, BOOK_TORCH, CONTENDERS, FLOOR, NUMPY, text_table  # noqa: E402

CASES = [  # (sizes, batch): two overhead-bound cases and one matrix-bound case
    ([2, 3, 2], 1),
    ([2, 3, 2], 64),
    ([784, 256, 10], 512),
]
DTYPES = ["float64", "float32"]


def make_network(sizes: list[int], batch: int, dtype: str, seed: int = 0) -> tuple[Any, ...]:
    """Random weights (scaled by 1/sqrt(fan-in)), biases, inputs and targets in (0, 1)."""
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((m, n)) / np.sqrt(m) for m, n in zip(sizes, sizes[1:])]
    biases = [0.1 * rng.standard_normal(n) for n in sizes[1:]]
    x = rng.standard_normal((batch, sizes[0]))
    t = rng.uniform(0.05, 0.95, (batch, sizes[-1]))
    cast = lambda a: np.ascontiguousarray(a, dtype=dtype)  # noqa: E731
    return [cast(w) for w in weights], [cast(b) for b in biases], cast(x), cast(t)


def contenders(weights: list, biases: list, x: Any, t: Any) -> dict[str, Callable[[], Any]]:
    """One zero-argument function per contender; each returns (weight_grads, bias_grads)."""
    import torch

    tw = [torch.from_numpy(w.copy()) for w in weights]
    tb = [torch.from_numpy(b.copy()) for b in biases]
    tx, tt = torch.from_numpy(x.copy()), torch.from_numpy(t.copy())
    pw = [w.clone().requires_grad_(True) for w in tw]
    pb = [b.clone().requires_grad_(True) for b in tb]

    def book_numpy() -> Any:
        return backprop(weights, biases, x, t)

    def torch_autograd() -> Any:
        for p in pw + pb:
            p.grad = None
        h = tx
        for w, b in zip(pw, pb):
            h = torch.sigmoid(h @ w + b)
        loss = 0.5 * ((h - tt) ** 2).sum()
        loss.backward()
        return [p.grad for p in pw], [p.grad for p in pb]

    def book_torch() -> Any:
        return backprop(tw, tb, tx, tt)

    def floor() -> Any:
        h = [x]  # only the shapes matter here: the products, not the sigmoids
        for w in weights:
            h.append(h[-1] @ w)  # X W, every layer
        delta, grads = h[-1], []
        for l in range(len(weights) - 1, -1, -1):
            grads.append(h[l].T @ delta)  # H^T Delta, every layer
            if l > 0:
                delta = delta @ weights[l].T  # Delta W^T, every layer but the first
        return grads

    return {NUMPY: book_numpy, AUTOGRAD: torch_autograd, BOOK_TORCH: book_torch, FLOOR: floor}


def _flat(grads: Any) -> np.ndarray:
    weight_grads, bias_grads = grads
    return np.concatenate([np.ravel(np.asarray(g, dtype=np.float64)) for g in [*weight_grads, *bias_grads]])


def check_agreement(fns: dict[str, Callable[[], Any]], dtype: str) -> dict[str, float]:
    """Relative error (norms) of each gradient computation against backprop_book on NumPy."""
    reference = _flat(fns[NUMPY]())
    tolerance = 1e-12 if dtype == "float64" else 1e-5
    errors = {}
    for name in (AUTOGRAD, BOOK_TORCH):
        other = _flat(fns[name]())
        errors[name] = float(np.linalg.norm(other - reference) / np.linalg.norm(reference))
        if not errors[name] < tolerance:
            raise AssertionError(f"{name} disagrees with {NUMPY}: relative error {errors[name]:.2e}")
    return errors


def loops_for(fn: Callable[[], Any], target: float) -> int:
    """How many calls make one sample last about ``target`` seconds."""
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= target / 4 or n >= 1 << 20:
            return max(1, round(n * target / max(elapsed, 1e-9)))
        n *= 4


def measure(fns: dict[str, Callable[[], Any]], rounds: int, sample_time: float, warmup: float) -> dict:
    """Interleaved rounds of every contender; seconds (and minor page faults) per call for each sample."""
    for fn in fns.values():  # warm-up: caches, allocator, lazy initialisation in torch
        deadline = time.perf_counter() + warmup
        while time.perf_counter() < deadline:
            fn()
    loops = {name: loops_for(fn, sample_time) for name, fn in fns.items()}
    samples: dict[str, list[float]] = {name: [] for name in fns}
    faults: dict[str, list[float]] = {name: [] for name in fns}
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            for name, fn in fns.items():  # A, B, C, D, A, B, C, D, ...
                n = loops[name]
                before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                start = time.perf_counter()
                for _ in range(n):
                    fn()
                samples[name].append((time.perf_counter() - start) / n)
                faults[name].append((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / n)
    finally:
        gc.enable()
    return {
        name: {
            "median_s": statistics.median(s),
            "q1_s": float(np.quantile(s, 0.25)),
            "q3_s": float(np.quantile(s, 0.75)),
            "min_s": min(s),
            "loops_per_sample": loops[name],
            "minor_faults_per_call": statistics.median(faults[name]),
            "samples_s": s,
        }
        for name, s in samples.items()
    }


RATIOS = {  # name: (numerator, denominator)
    "numpy_over_floor": (NUMPY, FLOOR),
    "autograd_over_numpy": (AUTOGRAD, NUMPY),
    "autograd_over_book_torch": (AUTOGRAD, BOOK_TORCH),
    "book_torch_over_floor": (BOOK_TORCH, FLOOR),
}


def ratios(timings: dict) -> dict[str, float]:
    """The ratios the targets are stated in: the median over the rounds of each round's ratio."""
    return {
        name: float(np.median(np.divide(timings[top]["samples_s"], timings[bottom]["samples_s"])))
        for name, (top, bottom) in RATIOS.items()
    }


def ratio_spread(timings: dict) -> dict[str, list[float]]:
    """The quartiles of each ratio over the rounds: round i's sample of one contender over the
    other's. The rounds interleave the contenders, so a burst of load hits both sides of a ratio."""
    spread = {}
    for name, (top, bottom) in RATIOS.items():
        per_round = np.divide(timings[top]["samples_s"], timings[bottom]["samples_s"])
        spread[name] = [float(np.quantile(per_round, 0.25)), float(np.quantile(per_round, 0.75))]
    return spread


def machine(threads: int) -> dict[str, Any]:
    """What the numbers ran on: CPU, threads, both BLAS libraries and the OpenBLAS kernel."""
    import threadpoolctl
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    blas = [
        {k: info.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "threading_layer")}
        for info in threadpoolctl.threadpool_info()
        if info.get("user_api") == "blas"
    ]
    config = torch.__config__.show()
    torch_blas = next((part.split("=", 1)[1] for part in config.replace(",", " ").split() if part.startswith("BLAS_INFO=")), "?")
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"], capture_output=True, text=True, check=True
        ).stdout.strip()
        commit += " (src modified)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "threads": threads,
        "numpy_blas": blas,
        "torch_blas": torch_blas,
        "torch_cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "torch_num_threads": torch.get_num_threads(),
        "openblas_env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "backprop_book_commit": commit,
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads for every contender (default 1: on a small shared machine the idle BLAS and "
        "OpenMP threads of one contender keep spinning into the next one's samples)",
    )
    parser.add_argument("--rounds", type=int, default=41, help="interleaved samples per contender")
    parser.add_argument("--sample-time", type=float, default=0.02, help="seconds per sample")
    parser.add_argument("--warmup", type=float, default=0.3, help="seconds of warm-up per contender")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "backprop.json")
    parser.add_argument("--quick", action="store_true", help="5 rounds, short samples, nothing written")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.sample_time, args.warmup = 5, 0.005, 0.05

    import threadpoolctl
    import torch

    torch.set_num_threads(args.threads)
    limits = threadpoolctl.threadpool_limits(limits=args.threads)  # NumPy's BLAS (and OpenMP) too
    info = machine(args.threads)
    for key, value in info["openblas_env"].items():
        if value is not None:
            print(f"note: {key}={value} is set; OpenBLAS may run a slower kernel (see the report)", file=sys.stderr)
    info["load_average_before"] = os.getloadavg()
    started = time.perf_counter()
    results = []
    for sizes, batch in CASES:
        for dtype in DTYPES:
            label = f"{'-'.join(map(str, sizes))} batch {batch} {dtype}"
            fns = contenders(*make_network(sizes, batch, dtype))
            agreement = check_agreement(fns, dtype)
            timings = measure(fns, args.rounds, args.sample_time, args.warmup)
            results.append(
                {
                    "label": label,
                    "sizes": sizes,
                    "batch": batch,
                    "dtype": dtype,
                    "relative_error_vs_numpy": agreement,
                    "timings": timings,
                    "ratios": ratios(timings),
                    "ratio_quartiles": ratio_spread(timings),
                }
            )
            print(f"done: {label}", file=sys.stderr, flush=True)
    info["load_average_after"] = os.getloadavg()
    limits.restore_original_limits()
    report = {
        "benchmark": "one forward + backward pass: backprop_book vs PyTorch eager autograd vs the matrix-product floor",
        "date_utc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "rounds": args.rounds,
        "sample_time_s": args.sample_time,
        "wall_time_s": round(time.perf_counter() - started, 1),
        "machine": info,
        "contenders": CONTENDERS,
        "results": results,
    }
    blas = ", ".join(f"{b['internal_api']} {b['version']} kernel {b['architecture']}" for b in info["numpy_blas"])
    print(f"{info['cpu']}; {args.threads} thread(s) for every contender (NumPy BLAS: "
          f"{[b['num_threads'] for b in info['numpy_blas']]}, PyTorch: {info['torch_num_threads']}); "
          f"NumPy BLAS: {blas}; PyTorch BLAS: {info['torch_blas']}")
    print(f"medians of {args.rounds} interleaved rounds; load average before {info['load_average_before'][0]:.2f}")
    print(text_table(report))
    if not args.quick:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n")
        print(f"wrote {args.json.relative_to(ROOT)} (Chapter 12 draws its chart from it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
