"""The book as one PDF (``make pdf``, ``book/pdf.py``), read back.

Printed once per session from the freshly built site by Debian's Chromium; skipped
when there is no Chromium, except under CI=true, where that is a failure (as in the
browser checks). The text must hold every chapter's title and every equation tag,
page numbers in the footers, and no TeX source outside code; the table of contents
and the cross-references must be links inside the document.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from book import pdf
from book.parse import chapters, equations, parts

REPO = Path(__file__).resolve().parents[1]
RAW_TEX = ("\\frac", "\\mathbf", "$$", "\\partial", "\\tag{", "\\begin{")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(built_site, tmp_path_factory):
    """(the PdfReader, each page's text, what ``build_pdf`` reported)."""
    if pdf.chromium() is None:
        reason = "no Chromium (neither `chromium` on PATH nor /usr/bin/chromium)"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    from pypdf import PdfReader

    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    # What `make pdf` runs, in a process of its own: Playwright's sync API cannot start
    # inside this session's, which the browser checks keep open.
    run = subprocess.run([sys.executable, "-m", "book.pdf", "--site", str(built_site), "--out", str(out)],
                         cwd=REPO, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, f"python -m book.pdf failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    summary = run.stdout.strip().splitlines()[-1]  # "pdf: <out> (93 pages, 3.9 MB, 12 chapters, 150.0 s)"
    done = {"chapters": int(re.search(r"(\d+) chapters", summary)[1]), "summary": summary}
    reader = PdfReader(out)
    texts = [page.extract_text() or "" for page in reader.pages]
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    (REPO / "test-artifacts" / "pdf.txt").write_text(
        summary + "\n", encoding="utf-8")
    return reader, texts, done


def _chapter_pages() -> list[Path]:
    docs = REPO / "docs"
    return [docs / page for page in pdf.nav_chapters()]


def test_every_chapter_of_the_nav_is_printed(printed):
    reader, texts, done = printed
    pages = _chapter_pages()
    assert done["chapters"] == len(pages) == len(chapters()), "the nav and docs/chapters disagree"
    assert len(reader.pages) > 2 * len(pages), "a title page, contents and chapters of some length"
    text = _squash("\n".join(texts))
    for page in pages:
        title = next(line[2:] for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("# "))
        title = re.sub(r"\{[^}]*\}|[`*]", "", title).strip()
        assert text.count(_squash(title)) >= 2, f"{page.name}: title {title!r} not in the contents and the text"


def test_every_equation_tag_is_typeset(printed):
    _, texts, _ = printed
    text = _squash("\n".join(texts))
    tags = [(p.name, e.tag) for p in _chapter_pages() for e in equations(p.read_text(encoding="utf-8")) if e.tag]
    assert tags, "the chapters define numbered equations"
    missing = [f"{name}: ({tag})" for name, tag in tags if f"({_squash(tag)})" not in text]
    assert not missing, f"equation tags not in the PDF: {missing}"


def test_no_raw_tex_outside_code(printed):
    """A line of the PDF with TeX source in it must be a line of code the book shows
    (Chapter 2 shows the f-strings that write its tables, for example)."""
    _, texts, _ = printed
    code = "".join(_squash(p["code"]) for page in _chapter_pages()
                   for p in parts(page.read_text(encoding="utf-8")) if p["kind"] == "fence")
    raw = [(n + 1, line.strip()) for n, t in enumerate(texts) for line in t.splitlines()
           if any(r in line for r in RAW_TEX) and _squash(line) not in code]
    assert not raw, f"raw TeX in the PDF (page, line): {raw[:10]}"


def test_page_numbers_in_the_footer(printed):
    reader, texts, _ = printed
    total = len(reader.pages)
    unnumbered = [n for n, t in enumerate(texts, 1) if not re.search(rf"\b{n}\s*/\s*{total}\b", t)]
    assert not unnumbered, f"pages without 'n / {total}' in the footer: {unnumbered[:10]}"


def test_contents_and_cross_references_link_inside_the_pdf(printed):
    reader, _, _ = printed
    internal = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else {}
            if "/Dest" in annot or action.get("/S") == "/GoTo":
                internal += 1
    assert internal >= len(_chapter_pages()), f"only {internal} links inside the PDF"
    assert len(reader.outline) > 0, "no bookmarks (outline) in the PDF"
