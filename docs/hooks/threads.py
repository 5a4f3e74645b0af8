"""MkDocs hook: one BLAS thread for the build, in this process and in those it starts.

The chapters multiply small matrices (the largest is 64 x 64 against a batch of 32 on
the digits). OpenBLAS would give each product two threads on this two-core machine,
and under load those threads wait for each other: 80 products of 256 x 256 took 0.52 s
with two threads and 0.06 s with one. One thread also leaves the second core to the
processes the build starts (the doctests, Chapter 16's Dask workers).

Listed first under ``hooks:``, it runs at import, before a page imports NumPy; the
variables reach the child processes, and threadpoolctl (which scikit-learn, Chapter 15,
depends on) limits a BLAS that something loaded earlier.
"""

import os
import sys

THREADS = "1"
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = THREADS

if "numpy" in sys.modules:  # loaded before this hook: the variables came too late for it
    from threadpoolctl import threadpool_limits

    threadpool_limits(int(THREADS))
