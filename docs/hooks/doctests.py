"""MkDocs hook: run every doctest of backprop_book before the pages render.

Executed blocks in the chapters prove that code runs; the doctests prove that the
values in the docstrings (which the API pages show) are right. A failing doctest
fails the build, whatever ``strict`` says.

The package and its modules (Chapter 10 counts the same ones) come from
``book.parse``; the package is imported afresh on every build (``mkdocs serve`` rebuilds after an
edit under src/), from wherever Python finds it first: the editable install, or a
``PYTHONPATH`` that puts another copy in front. The log names the folder it used.
"""

from __future__ import annotations

import doctest
import io
import logging
import time

from mkdocs.exceptions import PluginError

from book.parse import doctests, package_modules

PACKAGE = "backprop_book"
# The same flags as pytest's --doctest-modules run (pyproject.toml), so both agree.
OPTIONFLAGS = doctest.NORMALIZE_WHITESPACE

log = logging.getLogger(f"mkdocs.hooks.{__name__}")


def on_pre_build(config, **kwargs) -> None:
    start = time.perf_counter()
    try:  # a module that cannot even be imported is a failure too
        modules = package_modules(PACKAGE, fresh=True)
    except Exception as error:
        raise PluginError(f"doctests: cannot import {PACKAGE} and its modules: {error!r}") from error
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
    report = io.StringIO()
    for module in modules:
        for test in doctests(module):
            runner.run(test, out=report.write)
    failed, attempted = runner.failures, runner.tries
    where = modules[0].__path__[0]
    if not attempted:
        raise PluginError(f"doctests: no doctest found in {where}; is the package importable?")
    if failed:
        raise PluginError(
            f"doctests: {failed} of {attempted} failed in {where}\n" + report.getvalue()
        )
    log.info(
        "doctests: %d passed in %d modules (%s, %.2f s)",
        attempted,
        len(modules),
        where,
        time.perf_counter() - start,
    )
