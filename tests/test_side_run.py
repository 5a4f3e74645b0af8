"""The build's side run (book/side_run.py and its hook, docs/hooks/side_run.py): the slowest
pages' blocks run in a process of their own, and their page is the one they would have made here."""

from __future__ import annotations

import collections
import importlib.util
import re
from pathlib import Path

import pytest
from markdown_exec import ExecutionError
from mkdocs.exceptions import PluginError

from book import side_run
from book.parse import fences

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
PAGE = '''A page.

```python exec="on" session="side-test" id="first"
x = 6  # markdown-exec: hide
print(x * 7)
```

```python
not = "executed"
```

??? success "Solution"
    ```python exec="on" session="side-test" id="raises"
    raise ValueError("planted")
    ```

```python exec="on" session="side-test" id="after" title="x"
print(x + 1)
```
'''


def _hook():
    spec = importlib.util.spec_from_file_location("side_run_hook", DOCS / "hooks" / "side_run.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook


def test_a_page_runs_in_order_in_its_session_and_keeps_going_past_an_error(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    record = side_run.run_page(page)
    first, raises, after = record["blocks"]
    assert [b["id"] for b in record["blocks"]] == ["first", "raises", "after"]
    assert first["code"] == "x = 6  # markdown-exec: hide\nprint(x * 7)", "hidden lines run too"
    assert first["output"] == "42\n" and after["output"] == "7\n"
    assert "output" not in raises and "ValueError: planted" in raises["error"]
    assert 'raise ValueError("planted")' in raises["error"], "the report quotes the failing line"


@pytest.mark.parametrize("uri", _hook().PAGES)
def test_the_side_run_reads_the_blocks_the_book_parser_reads(uri):
    markdown = (DOCS / uri).read_text(encoding="utf-8")
    python = [b for b in fences(markdown) if b["executed"] and b["lang"] == "python"]
    ran = side_run.blocks(markdown)
    assert [b.get("id") for b in ran] == [b.get("id") for b in python] and ran
    assert all(b["id"] for b in ran), "every side block has an id, which the hook checks"


@pytest.fixture
def hook():
    module = _hook()
    yield module
    module.formatters["python"] = module.ORIGINAL  # markdown-exec as it was


def _pending(hook, *records):
    hook._page, hook._blocks = "chapters/99-test.md", collections.deque(records)


def test_the_hook_hands_over_the_output_of_the_block_that_ran(hook):
    _pending(hook, {"id": "a", "session": "s", "code": "print(1)\n", "output": "1\n"})
    assert hook.from_side_run("print(1)", session="s", id="a") == "1\n"


def test_a_block_that_is_not_the_one_that_ran_fails_naming_both(hook):
    _pending(hook, {"id": "a", "session": "s", "code": "print(1)", "output": "1\n"})
    with pytest.raises(ExecutionError, match=r"runs block 'b' where the side run ran 'a'"):
        hook.from_side_run("print(1)", session="s", id="b")
    _pending(hook, {"id": "a", "session": "s", "code": "print(1)", "output": "1\n"})
    with pytest.raises(ExecutionError, match="where the side run ran 'a'"):
        hook.from_side_run("print(2)", session="s", id="a")
    with pytest.raises(ExecutionError, match="which the side run never ran"):
        hook.from_side_run("print(1)", session="s", id="a")


def test_an_error_in_the_side_run_is_raised_where_the_page_renders(hook):
    _pending(hook, {"id": "a", "session": "s", "code": "1/0", "error": "ZeroDivisionError: division by zero"})
    with pytest.raises(ExecutionError, match="ZeroDivisionError"):
        hook.from_side_run("1/0", session="s", id="a")


def test_blocks_the_page_never_ran_fail_the_build(hook):
    class Page:
        class file:
            src_uri = "chapters/99-test.md"

    _pending(hook, {"id": "a", "session": "s", "code": "1", "output": ""})
    with pytest.raises(PluginError, match=r"never ran blocks \['a'\]"):
        hook.on_page_content("<p></p>", page=Page)


def test_other_pages_run_here_and_side_pages_render_last(hook):
    assert hook.formatters["python"] is hook.format_python
    hook._blocks = None
    html = hook.format_python(code="print(3)", md=__import__("markdown").Markdown(), session="", id="",
                              result="text")
    assert "3" in html

    from mkdocs.structure.files import File, Files

    files = Files([File(uri, "docs", "site", True) for uri in
                   ("index.md", *hook.PAGES, "chapters/01-motivation.md", "reference/api.md")])
    order = [f.src_uri for f in hook.on_files(files)]
    assert order[-len(hook.PAGES):] == list(hook.PAGES) and len(order) == len(hook.PAGES) + 3


def test_the_build_took_every_side_block_from_the_side_run(build_log):
    logged = re.search(r"side run: (\d+) blocks of (\d+) pages in [\d.]+ s", build_log)
    assert logged, "the side-run hook did not report"
    pages = _hook().PAGES
    expected = sum(len(side_run.blocks((DOCS / uri).read_text(encoding="utf-8"))) for uri in pages)
    assert (int(logged[1]), int(logged[2])) == (expected, len(pages)), logged[0]


def test_a_failing_block_on_a_side_page_fails_the_build(site_builder, project_copy):
    chapter = project_copy / "docs" / "chapters" / "16-many-machines.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + (
        '\n```python exec="on" session="ch16" id="ch16-planted-failure"\n'
        'raise RuntimeError("planted by test_side_run")\n```\n'), encoding="utf-8")
    result = site_builder(project_copy, project_copy / "site")
    log = result.stdout + result.stderr
    assert result.returncode != 0, "a side page's block raised and the strict build still succeeded"
    assert "ch16-planted-failure" in log and "planted by test_side_run" in log, log[-3000:]


def test_the_hook_stops_its_run_and_all_it_started_when_the_build_fails(hook):
    import os
    import time

    import psutil

    def group(pgid: int) -> list[psutil.Process]:  # the live processes of a process group
        found = []
        for p in psutil.process_iter():
            try:
                if os.getpgid(p.pid) == pgid and p.status() != psutil.STATUS_ZOMBIE:
                    found.append(p)
            except (ProcessLookupError, psutil.NoSuchProcess):
                pass
        return found

    hook.on_pre_build(config={"docs_dir": str(DOCS)})
    leader = hook._run[0].process.pid
    deadline = time.monotonic() + 120
    while len(group(leader)) < 3 and time.monotonic() < deadline:  # Chapter 16's two Dask workers
        time.sleep(0.2)
    assert len(group(leader)) >= 3, "the side run never started its Dask workers"
    hook.on_build_error(error=RuntimeError("a page failed"))
    assert not hook._run and hook.formatters["python"] is hook.format_python
    deadline = time.monotonic() + 10
    while group(leader) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not group(leader), f"left running: {[p.cmdline() for p in group(leader)]}"


def test_what_a_page_prints_past_markdown_exec_does_not_reach_the_records(tmp_path):
    import json
    import subprocess
    import sys

    page = tmp_path / "page.md"
    page.write_text('```python exec="on" session="noisy" id="noisy"\n'
                    'import builtins, os, sys\n'
                    'builtins.print("to the real stdout")\n'
                    'sys.__stdout__.flush()\n'
                    'os.write(1, b"straight to fd 1\\n")\n'
                    'print("captured")\n```\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "book.side_run", str(page)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["blocks"][0]["output"] == "captured\n"
    assert "to the real stdout" in result.stderr and "straight to fd 1" in result.stderr


def test_a_side_page_runs_python_blocks_only(tmp_path):
    page = tmp_path / "page.md"
    page.write_text('```python exec="on" id="a"\nx = 1\n```\n\n```bash exec="on" id="b"\necho hi\n```\n',
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"another language than python: \['b'\]"):
        side_run.run_page(page)


def test_side_pages_come_out_as_they_would_in_the_build_s_process(built_site, site_builder, project_copy):
    """The book built without the side run: its side pages, byte for byte, but Dask's last digit."""
    config = project_copy / "mkdocs.yml"
    config.write_text("".join(line for line in config.read_text(encoding="utf-8").splitlines(True)
                              if "side_run.py" not in line), encoding="utf-8")
    result = site_builder(project_copy, project_copy / "site")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "side run:" not in result.stdout + result.stderr
    # Dask adds the chunks' gradients in the order they finish: the last digit may differ
    last_digit = re.compile(r"(relative difference from the one-machine gradient: )[\d.e+-]+")
    for uri in _hook().PAGES:
        html = uri.removesuffix(".md") + "/index.html"
        here, side = ((site / html).read_text(encoding="utf-8") for site in (project_copy / "site", built_site))
        assert last_digit.sub(r"\1", here) == last_digit.sub(r"\1", side), uri
