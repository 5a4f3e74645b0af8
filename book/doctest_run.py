"""Run every doctest of a package and print one JSON summary: the build's doctest step.

The doctest hook (docs/hooks/doctests.py) starts this as its own process when a build
begins and reads the summary when the pages are done, so the doctests run on the
machine's second core while the first renders pages. A fresh process imports the
package from wherever Python finds it first (the editable install, or a ``PYTHONPATH``
that puts another copy in front), and ``where`` says which folder that was.

>>> summary = run("book.figures")  # the figure code's doctests
>>> summary["failed"], summary["attempted"] > 0, summary["where"].endswith("figures")
(0, True, True)
"""

from __future__ import annotations

import doctest
import io
import json
import sys
import time

from book.parse import doctests, package_modules

# The same flags as pytest's --doctest-modules run (pyproject.toml), so both agree.
OPTIONFLAGS = doctest.NORMALIZE_WHITESPACE


def run(package: str) -> dict:
    """Every doctest of ``package``: how many examples ran and failed, and the failures' report."""
    start = time.perf_counter()
    modules = package_modules(package)
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
    report = io.StringIO()
    for module in modules:
        for test in doctests(module):
            runner.run(test, out=report.write)
    return {
        "attempted": runner.tries,
        "failed": runner.failures,
        "modules": len(modules),
        "where": modules[0].__path__[0],
        "report": report.getvalue(),
        "seconds": time.perf_counter() - start,
    }


if __name__ == "__main__":
    json.dump(run(sys.argv[1]), sys.stdout)
