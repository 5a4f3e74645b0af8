"""Chapter 16: the book's ``backprop``, unchanged, on row-chunked Dask arrays on a local cluster of
worker processes, equals the one-machine gradient to 1e-12, and the page leaves no process behind.

The shown blocks of docs/chapters/16-many-machines.md run as a reader would paste them (the
hidden presentation blocks are skipped), once in this process and once in a fresh Python.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from backprop_book import backprop, he_init
from book.parse import exec_blocks

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "chapters" / "16-many-machines.md"
SHOWN = [b for b in exec_blocks(PAGE.read_text(encoding="utf-8")) if b.get("source")
         and not b["id"].startswith("ch16-ex-")]
# multiprocessing's resource tracker serves the process that started it and exits with it
TRACKER = "multiprocessing.resource_tracker"


def children() -> dict[int, str]:
    found = {}
    for p in psutil.Process().children(recursive=True):
        try:
            found[p.pid] = " ".join(p.cmdline())
        except psutil.NoSuchProcess:
            pass
    return found


@pytest.fixture(scope="module")
def page():
    before = children()
    namespace: dict = {"print": lambda *a, **k: None}
    for block in SHOWN:
        exec(compile(block["code"], block["id"], "exec"), namespace)
    namespace["new children"] = {pid: cmd for pid, cmd in children().items() if pid not in before}
    return namespace


def test_the_page_has_the_numpy_and_the_dask_blocks():
    assert [b["id"] for b in SHOWN] == ["ch16-chunks", "ch16-dask"]


def test_two_worker_processes_compute_the_one_machine_gradient_to_1e_12(page):
    assert page["workers"] == 2 and page["X_chunks"].numblocks == (4, 1)
    g, g_cluster = page["g"], page["g_cluster"]
    assert type(g_cluster) is np.ndarray and g_cluster.shape == g.shape == (64 * 64 + 64 * 10 + 64 + 10,)
    assert np.linalg.norm(g_cluster - g) / np.linalg.norm(g) < 1e-12
    assert np.linalg.norm(g) > 1  # a real gradient, not zeros agreeing with zeros


def test_the_chunks_partial_gradients_add_up_to_the_full_one(page):
    assert len(page["partials"]) == 4 and sum(len(c) for c in page["chunks"]) == 1797
    np.testing.assert_allclose(sum(page["partials"]), page["g"], rtol=1e-12, atol=1e-12)


def test_the_cluster_is_closed_when_its_block_ends(page):
    left = {pid: cmd for pid, cmd in page["new children"].items() if TRACKER not in cmd}
    assert not left, f"processes left running after the page: {left}"
    assert page["cluster"].status.name == "closed" and page["client"].status == "closed"


def test_nothing_the_page_starts_outlives_its_python():
    code = "\n".join(b["code"] for b in SHOWN)
    wrapper = (
        "import json, psutil\n"
        f"exec(compile({code!r}, 'page', 'exec'), {{'print': lambda *a, **k: None}})\n"
        "print(json.dumps([p.pid for p in psutil.Process().children(recursive=True)]))\n"
    )
    result = subprocess.run([sys.executable, "-c", wrapper], cwd=REPO, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    remaining = json.loads(result.stdout.strip().splitlines()[-1])
    deadline = time.monotonic() + 10
    while any(psutil.pid_exists(p) for p in remaining) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [p for p in remaining if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"processes outlived the page's Python: {alive}"


def test_mixing_numpy_and_dask_arrays_is_refused_with_a_named_error():
    da = pytest.importorskip("dask.array")
    weights, biases = he_init([3, 2], seed=0)
    x = da.from_array(np.ones((4, 3)), chunks=(2, 3))
    with pytest.raises((TypeError, ValueError)):
        backprop(weights, biases, x, np.zeros((4, 2)))
