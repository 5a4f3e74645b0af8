"""The build's doctest step (book/doctest_run.py and its hook, docs/hooks/doctests.py)
counts what ran and fails the build on a failing example."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from book.doctest_run import run

REPO = Path(__file__).resolve().parents[1]
GOOD = '''
def double(x):
    """
    >>> double(2)
    4
    """
    return 2 * x
'''
BAD = '''
def half(x):
    """
    >>> half(3)
    1.5
    """
    return x // 2
'''


@pytest.fixture
def planted(tmp_path, monkeypatch):
    """A package ``planted`` with one right and one wrong doctest, importable here and in a child."""
    package = tmp_path / "planted"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(GOOD), encoding="utf-8")
    (package / "wrong.py").write_text(textwrap.dedent(BAD), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    yield "planted"
    for name in [m for m in sys.modules if m.split(".")[0] == "planted"]:
        del sys.modules[name]


def test_run_counts_examples_and_reports_the_failure(planted):
    summary = run(planted)
    assert (summary["attempted"], summary["failed"], summary["modules"]) == (2, 1, 2)
    assert "planted.wrong.half" in summary["report"] and "Expected:\n    1.5" in summary["report"]


def _hook():
    spec = importlib.util.spec_from_file_location("doctests_hook", REPO / "docs" / "hooks" / "doctests.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook


def test_the_hook_fails_the_build_on_a_wrong_example(planted, monkeypatch):
    hook = _hook()
    monkeypatch.setattr(hook, "PACKAGE", planted)
    hook.on_pre_build(config=None)
    with pytest.raises(PluginError, match=r"doctests: 1 of 2 failed in .*planted"):
        hook.on_post_build(config=None)


def test_the_hook_stops_its_run_when_the_build_fails(planted, monkeypatch):
    hook = _hook()
    monkeypatch.setattr(hook, "PACKAGE", planted)
    hook.on_pre_build(config=None)
    process = hook._running[0]
    hook.on_build_error(error=RuntimeError("a page failed"))
    assert not hook._running and process.returncode is not None
