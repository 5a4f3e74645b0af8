"""MkDocs hook: run every doctest of backprop_book while the pages render.

Executed blocks in the chapters prove that code runs; the doctests prove that the
values in the docstrings (which the API pages show) are right. A failing doctest
fails the build, whatever ``strict`` says.

The doctests run in a process of their own (``python -m book.doctest_run``), started
when the build begins and read when the pages are done: on two cores they cost the
build no time. That process imports the package afresh on every build (``mkdocs serve``
rebuilds after an edit under src/), from wherever Python finds it first: the editable
install, or a ``PYTHONPATH`` that puts another copy in front. The log names the folder it
used. The build's own process imports the package afresh too, for the chapters' blocks.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

from book.parse import package_modules

PACKAGE = "backprop_book"
REPO = Path(__file__).resolve().parents[2]

log = logging.getLogger(f"mkdocs.hooks.{__name__}")
_running: list[subprocess.Popen] = []  # the doctest process of the build under way


def _stop() -> None:
    while _running:
        process = _running.pop()
        if process.poll() is None:
            process.kill()
        process.communicate()


def on_pre_build(config, **kwargs) -> None:
    try:  # a module that cannot even be imported is a failure too; the chapters import it
        package_modules(PACKAGE, fresh=True)
    except Exception as error:
        raise PluginError(f"doctests: cannot import {PACKAGE} and its modules: {error!r}") from error
    _stop()  # an earlier rebuild's run (mkdocs serve) that never finished
    _running.append(subprocess.Popen(
        [sys.executable, "-m", "book.doctest_run", PACKAGE],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ))


def on_post_build(config, **kwargs) -> None:
    process = _running.pop()
    out, err = process.communicate()
    if process.returncode != 0:
        raise PluginError(f"doctests: the doctest run stopped (exit {process.returncode}):\n{err}")
    summary = json.loads(out)
    failed, attempted, where = summary["failed"], summary["attempted"], summary["where"]
    if not attempted:
        raise PluginError(f"doctests: no doctest found in {where}; is the package importable?")
    if failed:
        raise PluginError(f"doctests: {failed} of {attempted} failed in {where}\n" + summary["report"])
    log.info("doctests: %d passed in %d modules (%s, %.2f s)",
             attempted, summary["modules"], where, summary["seconds"])


def on_build_error(error, **kwargs) -> None:
    _stop()
