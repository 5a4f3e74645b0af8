"""Cells: the book's code run in the page, offline, by Pyodide in a Web Worker.

On the built site, served on 127.0.0.1 with every other host blocked: a reference solution
passes in its page, a planted wrong answer fails with its hint, Reset restores the stub,
Stop ends an infinite loop (and the next Run works), a shown block runs the blocks above it
first, nothing of the runtime is fetched before Run, a page opened from file:// says how to
serve the book, a cell is reached and used with the keyboard alone, and every exercise's reference solution gives in the page the verdict that
CPython gave at build time. The first Run of a page and later ones are timed against the
issue's targets (15 s cold, 1 s warm); the times go to test-artifacts/cells-timing.json.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib.util
import io
import json
import os
import re
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest

REPO = Path(__file__).resolve().parents[2]
TIMING = REPO / "test-artifacts" / "cells-timing.json"
CHAPTER = "chapters/04-output-layer/"
RUNTIME = "/assets/pyodide/"
COLD_LIMIT_S, WARM_LIMIT_S = 15.0, 1.0  # issue 14's targets for a page's first and later Runs


def busy() -> float:
    """How many times oversubscribed the machine is (1 when idle): the targets hold on an idle
    machine of this size; while other work keeps every core busy, Chromium gets a share of it."""
    return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))

RUN_TIMEOUT_MS = 120_000
_timing: dict = {}

DONE = "(el) => !!el.dataset.state && el.dataset.state !== 'running'"
OWN_OUTPUT = """(el) => [...el.querySelectorAll('.book-cell__output > span')]
    .filter((s) => !s.matches('.book-cell__above, .book-cell__step')).map((s) => s.textContent).join('')"""
PAGE_CELLS = "() => JSON.parse(document.getElementById('book-cells').textContent).cells"
BUILD_OUTPUT = """(id) => { const el = document.querySelector(`div.highlight[data-cell="${id}"]`);
    return el && el.nextElementSibling ? el.nextElementSibling.textContent : null; }"""


def _load_hook(name: str):
    spec = importlib.util.spec_from_file_location(f"hook_{name}", REPO / "docs" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cells_hook_examples_hold():
    results = doctest.testmod(_load_hook("cells"))
    assert results.attempted > 0 and results.failed == 0


# ---------------------------------------------------------------- driving a cell


def exercise(page, checker: str):
    return page.locator(f'.book-cell[data-cell="exercise-{checker}"]')


def open_shown(page, block_id: str):
    """Unfold the block ``block_id`` if it is folded (as a reader would), turn it into a cell; return the cell."""
    page.evaluate("""(id) => { const d = document.querySelector(`div.highlight[data-cell="${id}"]`)
        .closest("details"); if (d) d.open = true; }""", block_id)
    page.locator(f'div.highlight[data-cell="{block_id}"] .book-cell-open__button').click()
    return page.locator(f'.book-cell[data-cell="{block_id}"]')


def run(cell, timeout_ms: int = RUN_TIMEOUT_MS) -> tuple[str, float]:
    """Press Run, wait for the cell to finish; (its output, wall seconds)."""
    started = time.perf_counter()
    cell.locator(".book-cell__run").click()
    cell.page.wait_for_function(DONE, arg=cell.element_handle(), timeout=timeout_ms)
    return cell.locator(".book-cell__output").inner_text(), time.perf_counter() - started


IN_FOLD = """(id) => !!document.querySelector(`div.highlight[data-cell="${id}"]`)?.closest("details")"""


def solution_of(page, checker: str) -> dict | None:
    """The folded reference solution of the stub calling ``checker``: the first shown block
    after the stub, inside a fold (``??? success "Solution"``), calling the same checker."""
    cells = page.evaluate(PAGE_CELLS)
    stub = next(i for i, c in enumerate(cells) if c["id"] == f"exercise-{checker}")
    return next((c for c in cells[stub + 1:] if c["kind"] == "shown" and f"{checker}(" in c["code"]
                 and page.evaluate(IN_FOLD, c["id"])), None)


@pytest.fixture
def page(context, site_url):
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(urljoin(site_url, CHAPTER))
    yield tab
    tab.close()
    assert errors == [], f"errors in the page: {errors}"


# ---------------------------------------------------------------- one cell, each action


def test_no_runtime_fetched_before_run_then_a_cold_run_under_the_target(guarded_context, site_url):
    """A fresh context (nothing cached): loading and reading the page fetches nothing of
    the runtime; the first Run fetches it from the site alone and completes in time."""
    outside: list = []
    ctx = guarded_context(outside)
    requests: list[str] = []
    ctx.on("request", lambda request: requests.append(request.url))
    try:
        tab = ctx.new_page()
        tab.goto(urljoin(site_url, CHAPTER), wait_until="networkidle")
        tab.mouse.wheel(0, 4000)  # a reader scrolling through the exercises
        tab.wait_for_timeout(500)
        assert tab.locator(".book-cell").count() > 0, "the page shows no cell"
        assert [u for u in requests if RUNTIME in u or "cells-worker" in u] == []

        cell = exercise(tab, "check_dL_dy")
        cell.locator("textarea").fill(solution_of(tab, "check_dL_dy")["code"])
        output, seconds = run(cell)
    finally:
        ctx.close()
    assert "check_dL_dy: passed" in output, output
    fetched = {u.rsplit("/", 1)[-1] for u in requests if RUNTIME in u}
    assert {"pyodide.asm.wasm", "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl",
            "backprop_book-0.1.0-py3-none-any.whl"} <= fetched, fetched
    assert outside == [], f"a cell fetched from outside: {outside}"
    _timing["cold_first_run_s"] = round(seconds, 2)
    _timing["cold_load_average"] = os.getloadavg()[0]
    limit = COLD_LIMIT_S * busy()
    assert seconds < limit, f"first Run took {seconds:.1f} s (target {COLD_LIMIT_S} s, {limit:.1f} s at this load)"


def test_reference_solution_passes_and_later_runs_are_fast(page):
    cell = exercise(page, "check_output_delta")
    cell.locator("textarea").fill(solution_of(page, "check_output_delta")["code"])
    output, _ = run(cell)
    assert "check_output_delta: passed" in output, output
    assert cell.get_attribute("data-state") == "ran"
    warm = [run(cell)[1] for _ in range(3)]
    _timing["later_runs_s"] = [round(s, 3) for s in warm]
    limit = WARM_LIMIT_S * busy()
    assert max(warm) < limit, f"later Runs took {warm} s (target {WARM_LIMIT_S} s, {limit:.1f} s at this load)"


def test_a_wrong_answer_fails_with_its_hint(page):
    cell = exercise(page, "check_output_delta")
    cell.locator("textarea").fill(
        "from backprop_book.exercises import check_output_delta\n\n"
        "def my_output_delta(y, t):\n    return y - t\n\ncheck_output_delta(my_output_delta)\n"
    )
    output, _ = run(cell)
    assert "check_output_delta: FAILED on case 1" in output, output
    assert "hint: this is dL/dy = y - t alone" in output, output


def test_an_exception_shows_the_readers_traceback(page):
    cell = exercise(page, "check_dL_dy")
    cell.locator("textarea").fill("def f():\n    return 1 / 0\n\nf()\n")
    output, _ = run(cell)
    assert "ZeroDivisionError: division by zero" in output and 'File "<exercise-check_dL_dy>", line 2' in output
    assert cell.get_attribute("data-state") == "failed"


def test_reset_restores_the_stub(page):
    cell = exercise(page, "check_dy_da")
    editor = cell.locator("textarea")
    stub = editor.input_value()
    assert "check_dy_da(my_dy_da)" in stub and "...  # your code" in stub
    editor.fill("print('changed')")
    cell.locator(".book-cell__reset").click()
    assert editor.input_value() == stub


def test_stop_ends_an_infinite_loop_and_the_next_run_starts_afresh(page):
    cell = exercise(page, "check_dL_dy")
    editor = cell.locator("textarea")
    editor.fill("print('warm')")
    assert run(cell)[0].strip() == "warm"  # Python is up; the loop below really runs
    editor.fill("print('looping', flush=True)\nwhile True:\n    pass\n")
    cell.locator(".book-cell__run").click()
    page.wait_for_function("(el) => el.textContent.includes('looping')",
                           arg=cell.locator(".book-cell__output").element_handle(), timeout=RUN_TIMEOUT_MS)
    page.wait_for_timeout(300)
    assert cell.get_attribute("data-state") == "running"
    started = time.perf_counter()
    assert page.evaluate("() => 6 * 7") == 42  # the page still answers while Python loops
    assert time.perf_counter() - started < 1.0
    cell.locator(".book-cell__stop").click()
    assert cell.get_attribute("data-state") == "stopped"
    assert "Stopped: this page's Python was ended" in cell.locator(".book-cell__output").inner_text()
    assert cell.locator(".book-cell__run").is_enabled() and cell.locator(".book-cell__stop").is_disabled()
    editor.fill("import sys\nprint('fresh', 'numpy' in sys.modules)")
    output, _ = run(cell)
    assert output.strip() == "fresh False", output  # a new interpreter: nothing imported yet


def test_a_shown_block_runs_the_blocks_above_it_first_once(page):
    cells = page.evaluate(PAGE_CELLS)
    shown = [c for c in cells if c["kind"] == "shown" and c["session"] == "ch04"]
    target = shown[4]
    cell = open_shown(page, target["id"])
    assert cell.locator("textarea").input_value() == target["code"]
    output, _ = run(cell)
    headers = re.findall(r"# running (\S+) \(a block above\) first", output)
    assert headers == [c["id"] for c in shown[:4]], output
    own = page.evaluate(OWN_OUTPUT, cell.element_handle())
    assert own.split() == page.evaluate(BUILD_OUTPUT, target["id"]).split()  # CPython's, at build
    output, _ = run(cell)
    assert "a block above" not in output and output.split() == own.split()


FOCUSED = """() => { const e = document.activeElement;
    return {classes: [...e.classList], cell: (e.closest('.book-cell') || {dataset: {}}).dataset.cell || null}; }"""


def focused(page) -> tuple[str, str | None]:
    """The focused element's book-cell class (``book-cell__run`` ...) or tag, and its cell's id."""
    found = page.evaluate(FOCUSED)
    part = next((c for c in found["classes"] if c.startswith("book-cell")), "/".join(found["classes"]) or "?")
    return part, found["cell"]


def tab_until(page, selector: str, limit: int = 400) -> int:
    """Press Tab until the focused element matches ``selector``; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {selector}; last: {focused(page)}")


def test_a_cell_is_reached_and_used_by_keyboard_alone(page):
    """From the top of the page, Tab alone reaches an exercise's editor; typing edits it,
    Tab leaves it for Run (no trap), Enter runs, the keyboard's place moves to Stop while
    it runs and back to Run after; Tab reaches Reset and the output; Space on Reset brings
    the stub back and returns to the editor; Ctrl+Enter runs from the editor; Tab and Enter
    on a shown block's "Edit and run" open it with the focus in its editor."""
    ex = "exercise-check_dL_dy"
    cell = exercise(page, "check_dL_dy")
    stub = cell.locator("textarea").input_value()
    tab_until(page, f'.book-cell[data-cell="{ex}"] textarea')
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("print(6 * 7)")
    page.keyboard.press("Tab")
    assert focused(page) == ("book-cell__run", ex)
    page.keyboard.press("Enter")
    assert focused(page) == ("book-cell__stop", ex), "while the cell runs the focus belongs on Stop"
    page.wait_for_function(DONE, arg=cell.element_handle(), timeout=RUN_TIMEOUT_MS)
    assert cell.locator(".book-cell__output").inner_text().strip() == "42"
    assert focused(page) == ("book-cell__run", ex), "after the Run the focus belongs on Run again"
    page.keyboard.press("Tab")
    assert focused(page) == ("book-cell__reset", ex)
    page.keyboard.press("Tab")  # Stop is disabled while nothing runs: the output is next
    assert focused(page) == ("book-cell__output", ex)
    assert cell.locator(".book-cell__output").get_attribute("aria-live") == "polite"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press(" ")
    assert cell.locator("textarea").input_value() == stub
    assert focused(page) == ("book-cell__code", ex)
    page.keyboard.press("ControlOrMeta+Enter")
    page.wait_for_function(DONE, arg=cell.element_handle(), timeout=RUN_TIMEOUT_MS)
    assert "check_dL_dy: FAILED" in cell.locator(".book-cell__output").inner_text()

    tab_until(page, ".book-cell-open__button")
    shown = page.evaluate("() => document.activeElement.closest('div.highlight').dataset.cell")
    page.keyboard.press("Enter")
    assert focused(page) == ("book-cell__code", shown)


def test_a_page_opened_from_a_file_says_how_to_serve_the_book(browser, built_site):
    ctx = browser.new_context()
    blocked: list[str] = []
    ctx.route(re.compile(r"^https?://"), lambda route: (blocked.append(route.request.url), route.abort()))
    try:
        tab = ctx.new_page()
        tab.goto((built_site / CHAPTER / "index.html").as_uri())
        cell = exercise(tab, "check_dL_dy")
        output, _ = run(cell, timeout_ms=5_000)
        assert cell.get_attribute("data-state") == "file"
    finally:
        ctx.close()
    assert "make serve" in output and "file://" in output, output
    assert blocked == []


# ---------------------------------------------------------------- every exercise


def _exercise_pages(site: Path) -> dict[str, list[str]]:
    """Page path -> the checkers of its exercise stubs, read from each built page's data."""
    found = {}
    for index in sorted(site.rglob("index.html")):
        match = re.search(r'<script type="application/json" id="book-cells">(.*?)</script>',
                          index.read_text(encoding="utf-8"), re.S)
        if match:
            stubs = [c["id"].removeprefix("exercise-") for c in json.loads(match[1])["cells"]
                     if c["kind"] == "exercise"]
            if stubs:
                found[index.parent.relative_to(site).as_posix() + "/"] = stubs
    return found


def verdicts(text: str, checker: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.startswith(f"{checker}: ")]


def cpython_output(code: str) -> str:
    """What ``code`` prints when this (CPython) interpreter runs it in a fresh namespace."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<stub>", "exec"), {"__name__": "__main__"})
    return out.getvalue()


# Where the page cannot agree with CPython, and why. Each entry is checked to still differ
# exactly so: once fixed, the test says to remove it.
KNOWN: dict[str, str] = {}  # none today: Exercise 3.2's checker now sees an overflow by its value,
# which WebAssembly (no floating-point flags, so np.errstate never raises there) shows too


def test_every_exercise_gives_cpythons_verdicts_in_its_page(context, site_url, built_site):
    """Each exercise cell, as the page gives it (a stub leaves the reader's part as
    ``...  # your code``: a planted wrong answer) and with its folded reference solution
    pasted in: the page's verdicts equal CPython's (the stub run here, the solution as the
    build ran it), the stub's last verdict is FAILED and the solution's is "passed" (but for
    the KNOWN differences)."""
    pages = _exercise_pages(built_site)
    wrong, unsolved, ran = [], [], 0
    for path, checkers in pages.items():
        tab = context.new_page()
        try:
            tab.goto(urljoin(site_url, path))
            cells = {c["id"]: c for c in tab.evaluate(PAGE_CELLS)}
            for checker in dict.fromkeys(checkers):
                cell = exercise(tab, checker)
                stub = cells[f"exercise-{checker}"]["code"]
                page_says, expected = verdicts(run(cell)[0], checker), verdicts(cpython_output(stub), checker)
                # the book's mark of a stub: the reader's part is "...  # your code", a planted wrong answer
                wrong_answer = "# your code" in stub
                if not (page_says and page_says == expected):
                    wrong.append(f"{path} stub of {checker}: page {page_says!r}, CPython {expected!r}")
                elif ("FAILED" in page_says[-1]) != wrong_answer:
                    wrong.append(f"{path} stub of {checker}: page and CPython say {page_says[-1]!r}, but the "
                                 f"stub {'has' if wrong_answer else 'lacks'} the mark '# your code'")
                solution = solution_of(tab, checker)
                if solution is None:  # a stub that only shows how checking works (Chapter 1)
                    unsolved.append(f"{path} {checker}")
                    continue
                cell.locator("textarea").fill(solution["code"])
                output, _ = run(cell)
                page_says = verdicts(output, checker)
                expected = verdicts(tab.evaluate(BUILD_OUTPUT, solution["id"]) or "", checker)
                ran += 1
                if solution["id"] in KNOWN:
                    missing = KNOWN[solution["id"]]
                    if not (missing in expected and page_says == [v for v in expected if v != missing]):
                        wrong.append(f"{path} {solution['id']}: no longer the known difference; update KNOWN")
                elif not (page_says and page_says == expected and ": passed" in page_says[-1]):
                    wrong.append(f"{path} {solution['id']}: page {page_says or output[-300:]!r}, CPython {expected!r}")
        finally:
            tab.close()
    assert wrong == [], "\n".join(wrong)
    # Chapter 1 and the API page show a checker at work, with no exercise of their own.
    assert ran >= 20 and len(unsolved) <= 2, f"{ran} solutions run; stubs with none: {unsolved}"
    _timing["reference_solutions_run"] = ran


@pytest.fixture(scope="module", autouse=True)
def _write_timing():
    yield
    if _timing:
        TIMING.parent.mkdir(parents=True, exist_ok=True)
        TIMING.write_text(json.dumps(_timing, indent=2) + "\n", encoding="utf-8")
