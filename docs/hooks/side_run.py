"""MkDocs hook: the slowest pages' blocks run in a process of their own while the rest render.

Chapter 15 (the digits, trained by the book and by scikit-learn) and Chapter 16 (a Dask
cluster of two worker processes) took about 5 s of a 16 s build in its one process. When
the build begins, this hook starts ``python -m book.side_run`` on those pages, which runs
their executed blocks with markdown-exec's own runner and prints each page's outputs.
When MkDocs reaches such a page, markdown-exec asks this hook for each block's output
instead of running the block: the hook checks that the block is the one that ran (same
id, same session, same code) and hands over its output, or its error, which fails the
strict build as it would have in this process. The side run's process has the same
environment (one BLAS thread, docs/hooks/threads.py) and starts the cluster and closes
it; a build that fails stops it. Those pages render last, so their outputs are ready
when MkDocs reaches them.
"""

from __future__ import annotations

import atexit
import collections
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from markdown_exec import ExecutionError, base_format, formatters
from mkdocs.exceptions import PluginError

REPO = Path(__file__).resolve().parents[2]
# The pages whose blocks run on the side, by their path under docs/: measured with
# their blocks in the build's process, 2.7 s (Chapter 15) and 2.3-3.0 s (Chapter 16).
PAGES = ("chapters/15-minibatches.md", "chapters/16-many-machines.md")
WAIT = 600  # seconds a page waits for its outputs before the build gives up

log = logging.getLogger(f"mkdocs.hooks.{__name__}")

# markdown-exec looks its formatter up in ``formatters`` for each block; were this hook
# imported a second time, it would find its own formatter there
ORIGINAL = getattr(formatters["python"], "original", formatters["python"])


class SideRun:
    """One build's side process: its pages' outputs as they arrive, and its log."""

    def __init__(self, docs: Path) -> None:
        self.stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "book.side_run", *(str(docs / page) for page in PAGES)],
            cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.stderr, text=True,
            start_new_session=True,  # a group of its own: stopping it stops the Dask workers it started
        )
        self.docs, self.pages, self.done = docs, {}, threading.Event()
        self.arrived = threading.Condition()
        self.waited, self.problem, self.stopped = 0.0, "", False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        atexit.register(self.stop)  # Ctrl-C, or a crash outside the build's events

    def _read(self) -> None:
        try:
            for line in self.process.stdout:
                try:
                    record = json.loads(line)
                    uri = Path(record["page"]).relative_to(self.docs).as_posix()
                except (ValueError, KeyError, TypeError) as error:
                    self.problem = f"a line that is no page's record ({error}): {line[:200]!r}"
                    return
                with self.arrived:
                    self.pages[uri] = record
                    self.arrived.notify_all()
        finally:
            with self.arrived:
                self.done.set()
                self.arrived.notify_all()

    def page(self, uri: str) -> dict:
        """The outputs of page ``uri``, once the side run has them."""
        start = time.perf_counter()
        with self.arrived:
            self.arrived.wait_for(lambda: uri in self.pages or self.done.is_set(), timeout=WAIT)
        self.waited += time.perf_counter() - start
        if uri not in self.pages:
            raise PluginError(f"side run: no outputs for {uri} {self.problem}\n{self.log()}")
        return self.pages[uri]

    def exit_code(self, timeout: float) -> int | None:
        """Wait for the process to end, without reaping it (its group stays ours); None if it did not."""
        deadline = time.monotonic() + timeout
        while True:
            ended = os.waitid(os.P_PID, self.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            if ended is not None:
                return ended.si_status if ended.si_code == os.CLD_EXITED else -ended.si_status
            if time.monotonic() > deadline:
                return None
            time.sleep(0.02)

    def log(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read()[-5000:]

    def stop(self) -> None:
        """End the process and everything in its group (a Dask worker too), then reap it."""
        if self.stopped:
            return
        self.stopped = True
        atexit.unregister(self.stop)
        if self.process.returncode is None:  # not reaped yet, so its process group is still ours
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:  # nothing left in the group
                pass
            self.process.wait()
        self.reader.join(timeout=10)  # its output ended with it
        self.process.stdout.close()
        self.stderr.close()


_run: list[SideRun] = []  # the side run of the build under way
_blocks: collections.deque | None = None  # the outputs still to hand over on this page
_page = ""


def _stop() -> None:
    while _run:
        _run.pop().stop()


def from_side_run(code: str, returncode: int | None = None, session: str | None = None,
                  id: str | None = None, **extra: str) -> str:  # noqa: A002 (markdown-exec's name)
    """markdown-exec's runner for a side page: the output the side run recorded for this block."""
    if not _blocks:
        raise ExecutionError(f"side run: {_page} runs block {id!r}, which the side run never ran")
    ran = _blocks.popleft()
    if (ran["id"], ran["session"] or None, ran["code"].strip("\n")) != (id or "", session or None,
                                                                       code.strip("\n")):
        raise ExecutionError(f"side run: {_page} runs block {id!r} where the side run ran {ran['id']!r}; "
                             "book/side_run.py reads this page differently from markdown-exec")
    if "error" in ran:
        raise ExecutionError(ran["error"], ran.get("returncode"))
    return ran["output"]


def format_python(**options):
    """markdown-exec's Python formatter: on a side page, outputs come from the side run."""
    if _blocks is None:
        return ORIGINAL(**options)
    return base_format(language="python", run=from_side_run, **options)


format_python.original = ORIGINAL
formatters["python"] = format_python


def on_pre_build(config, **kwargs) -> None:
    _stop()  # an earlier rebuild's run (mkdocs serve) that never finished
    _run.append(SideRun(Path(config["docs_dir"])))


def on_files(files, **kwargs):
    """Render the side pages last: the other pages' time is the side run's head start."""
    for page in PAGES:
        file = files.get_file_from_path(page)
        if file is not None:
            files.remove(file)
            files.append(file)
    return files


def on_page_markdown(markdown: str, page, **kwargs) -> str:
    global _blocks, _page
    _page = page.file.src_uri
    _blocks = collections.deque(_run[0].page(_page)["blocks"]) if _page in PAGES and _run else None
    return markdown


def on_page_content(html: str, page, **kwargs) -> str:
    global _blocks
    left, _blocks = _blocks, None
    if left:
        raise PluginError(f"side run: {page.file.src_uri} never ran blocks {[b['id'] for b in left]}, "
                          "which the side run ran")
    return html


def on_post_build(config, **kwargs) -> None:
    side = _run.pop()
    try:
        code = side.exit_code(WAIT)
        if code != 0:
            raise PluginError(f"side run: the process stopped (exit {code}) {side.problem}\n{side.log()}")
        seconds = sum(record["seconds"] for record in side.pages.values())
        log.info("side run: %d blocks of %d pages in %.2f s in a process of their own "
                 "(the pages waited %.2f s for them)",
                 sum(len(r["blocks"]) for r in side.pages.values()), len(side.pages), seconds, side.waited)
        log.debug("side run: what it wrote to stderr:\n%s", side.log())
    finally:
        side.stop()


def on_build_error(error, **kwargs) -> None:
    _stop()


def on_shutdown(**kwargs) -> None:
    _stop()
