"""The chapter notebooks: one per chapter in the built site, linked from its page, the
same on every build, and each runs top to bottom offline in a Python kernel.

The notebooks are made by ``book.notebooks`` (through the build hook
``docs/hooks/notebooks.py``) from the chapters as ``book.parse`` reads them, so the
blocks counted here are the blocks the build executed.
"""

from __future__ import annotations

import importlib.util
import json
import re
import time
from importlib.metadata import version
from pathlib import Path

import pytest

from book import notebooks
from book.parse import chapters, exec_blocks, parts, SOLUTION

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = chapters()
KERNEL_TIMEOUT = 600  # seconds per cell; a cold kernel on two busy cores is slow
TIMES: dict[str, float] = {}  # chapter -> seconds its notebook took to run


def _notebook(site: Path, chapter: Path) -> dict:
    path = site / "notebooks" / f"{chapter.stem}.ipynb"
    assert path.is_file(), f"{chapter.name}: no notebook at {path.relative_to(site)} in the built site"
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_chapter_has_a_notebook(built_site):
    import nbformat

    found = sorted(p.stem for p in (built_site / "notebooks").glob("*.ipynb"))
    assert found == [c.stem for c in CHAPTERS]
    for chapter in CHAPTERS:
        nb = nbformat.reads((built_site / "notebooks" / f"{chapter.stem}.ipynb").read_text("utf-8"), 4)
        nbformat.validate(nb)  # ids, cell shapes: a file Jupyter opens
        first = nb.cells[0].source
        assert f"backprop_book=={version('backprop_book')}" in first, f"{chapter.name}: {first}"
        assert notebooks.git_commit() in first, f"{chapter.name}: the commit is not stated"
        assert re.search(r"^if installed != ", first, re.M), f"{chapter.name}: installs unconditionally"


def test_each_chapter_page_links_its_notebook(built_site):
    for chapter in CHAPTERS:
        html = (built_site / "chapters" / chapter.stem / "index.html").read_text(encoding="utf-8")
        link = re.search(rf'<a[^>]*href="../../notebooks/{re.escape(chapter.stem)}.ipynb"[^>]*>([^<]*)</a>', html)
        assert link, f"{chapter.name}: its page does not link notebooks/{chapter.stem}.ipynb"
        assert link[1].strip() == notebooks_hook_text()
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert all(f'href="notebooks/{c.stem}.ipynb"' in home for c in CHAPTERS), "the home page lists them"


def notebooks_hook_text() -> str:
    import importlib.util as iu

    spec = iu.spec_from_file_location("hook_notebooks", REPO / "docs" / "hooks" / "notebooks.py")
    hook = iu.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook.LINK


def test_two_builds_give_identical_notebooks(built_site):
    for chapter in CHAPTERS:
        again = notebooks.notebook(chapter)
        assert again == notebooks.notebook(chapter)
        assert again == (built_site / "notebooks" / f"{chapter.stem}.ipynb").read_text(encoding="utf-8"), (
            f"{chapter.name}: the built notebook differs from a fresh one")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_notebook_holds_the_shown_code_and_not_the_solutions(built_site, chapter):
    nb = _notebook(built_site, chapter)
    markdown = chapter.read_text(encoding="utf-8")
    blocks = exec_blocks(markdown)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    ids = [c["id"] for c in code]
    shown = [b["id"] for b in blocks if b["shown"] and not b["solution"]]
    assert [i for i in ids if i in shown] == shown, f"{chapter.name}: shown blocks missing or out of order"
    left_out = [b["id"] for b in blocks if b["solution"] or not b["shown"]]
    assert not set(left_out) & set(ids), f"{chapter.name}: a hidden block or a solution became a cell"
    stubs = [p["code"] for p in parts(markdown) if p["kind"] == "fence" and p["lang"] == "python"
             and "exec" not in p and SOLUTION not in p["folded"]]
    sources = [c["source"] for c in code]
    assert all(s in sources for s in stubs), f"{chapter.name}: an exercise stub is not a code cell"
    solutions = [b["code"] for b in blocks if b["solution"]]
    assert not [s for s in solutions if s in sources], f"{chapter.name}: a worked solution is a cell"
    prose = "\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "markdown")
    for leftover in ("--8<--", "{ #", "!!! ", "??? ", "][backprop_book."):
        assert leftover not in prose, f"{chapter.name}: MkDocs syntax {leftover!r} left in the prose"


def _available(need: str) -> bool:
    if need == "cuda":
        if importlib.util.find_spec("torch") is None:
            return False
        import torch

        return torch.cuda.is_available()
    return importlib.util.find_spec(need) is not None


def run_notebook(text: str, markdown: str, folder: Path) -> dict:
    """Run a notebook's every code cell, in order, in a fresh Python kernel started in
    ``folder`` (so only the installed package is importable, not the repository's
    ``book/``). A cell that needs what this machine lacks (torch, dask, a GPU) is skipped
    by its requires-* tag. Returns the executed ``nb``, its ``errors``, its
    ``hidden_name_errors``, the ``skipped`` cells, ``seconds`` and the ``leaning`` blocks.

    A shown block reading a name that only a hidden block of its page binds (the house
    rule "shown code stands alone" broken by the chapter, not by the notebook), and the
    NameErrors that follow from it, are kept apart from the other ``errors`` as
    ``hidden_name_errors``, so that a failure can name the hidden block to blame."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.reads(text, 4)
    skipped = []
    for cell in nb.cells:
        needs = [t.removeprefix("requires-") for t in cell.metadata.get("tags", []) if t.startswith("requires-")]
        missing = [n for n in needs if not _available(n)]
        if missing:
            cell.metadata["tags"] = cell.metadata.get("tags", []) + ["skip-execution"]
            skipped.append(f"{cell.id} (needs {', '.join(missing)})")
    client = NotebookClient(nb, kernel_name="python3", timeout=KERNEL_TIMEOUT, allow_errors=True,
                            skip_cells_with_tag="skip-execution",
                            resources={"metadata": {"path": str(folder)}})
    started = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - started
    leaning = notebooks.hidden_dependencies(markdown)
    known = {name for _, name, _ in leaning}
    hidden_name_errors, errors = [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            name = re.fullmatch(r"name '(\w+)' is not defined", out.get("evalue", ""))
            where = f"cell {cell.id}: {out['ename']}: {out['evalue']}"
            if out["ename"] == "NameError" and name and name[1] in known:
                hidden_name_errors.append(where)
                known |= notebooks.bound_names(cell.source)  # what the failed cell did not define
            else:
                errors.append(f"{where}\n{cell.source}\n" + "\n".join(out.get("traceback", []))[-2000:])
    return {"nb": nb, "errors": errors, "hidden_name_errors": hidden_name_errors, "skipped": skipped,
            "seconds": seconds, "leaning": leaning}


def test_the_run_names_the_cell_that_fails(tmp_path, monkeypatch):
    """The runner's own check: a shown block that raises is an error naming its cell; one
    that reads a hidden block's name is a hidden-name error that names the block it leans on."""
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    page = tmp_path / "99-broken.md"
    page.write_text(
        '# Broken\n\n```python exec="on" session="x" id="x-setup"\nshout = print\n```\n\n'
        '```python exec="on" source="above" session="x" id="x-leans"\nshout("hello")\n```\n\n'
        '```python exec="on" source="above" session="x" id="x-raises"\n1 / 0\n```\n', encoding="utf-8")
    done = run_notebook(notebooks.notebook(page), page.read_text(encoding="utf-8"), tmp_path)
    assert [e.split("\n")[0] for e in done["errors"]] == ["cell x-raises: ZeroDivisionError: division by zero"]
    assert done["hidden_name_errors"] == ["cell x-leans: NameError: name 'shout' is not defined"]
    assert done["leaning"] == [("x-leans", "shout", "x-setup")]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_offline(built_site, chapter, tmp_path, monkeypatch):
    """Every notebook, top to bottom, offline (pip told to use no index): see run_notebook.
    A shown block that leans on a hidden block's name fails it too (every chapter's shown
    code stands alone, so nothing is tolerated)."""
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    done = run_notebook(json.dumps(_notebook(built_site, chapter)), chapter.read_text(encoding="utf-8"), tmp_path)
    nb, skipped, hidden, leaning = done["nb"], done["skipped"], done["hidden_name_errors"], done["leaning"]
    TIMES[chapter.stem] = done["seconds"]
    assert not done["errors"], f"{chapter.name}: the notebook failed at " + "\n\n".join(done["errors"])
    first = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert first.startswith(f"backprop_book {version('backprop_book')} "), (
        f"{chapter.name}: the first cell did not find the installed version: {first!r}")
    ran = [c for c in nb.cells if c.cell_type == "code" and c.execution_count]
    assert len(ran) == sum(c.cell_type == "code" for c in nb.cells) - len(skipped)
    out = REPO / "test-artifacts" / "notebooks.json"
    out.parent.mkdir(exist_ok=True)
    record = json.loads(out.read_text()) if out.is_file() else {}
    record[chapter.stem] = {"seconds": round(TIMES[chapter.stem], 2), "cells": len(ran), "skipped": skipped}
    record[chapter.stem]["hidden-name errors"] = hidden
    out.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    assert not hidden, (f"{chapter.name}: shown blocks read names only hidden blocks define "
                        f"({'; '.join(f'{b} reads {n} from {h}' for b, n, h in leaning)}), so: {'; '.join(hidden)}")
    if skipped:
        pytest.skip(f"{chapter.name} ran, except: " + "; ".join(skipped))
