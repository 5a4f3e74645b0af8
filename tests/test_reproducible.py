"""Two clean builds of the book from the same commit give the same files, byte for byte.

Only the files in ``DIFFER`` may change between builds, each for a stated reason.
A reader who rebuilds the book, or a PDF and notebooks made from it, gets what the
tests checked.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import REPO, build_site

# Files that carry the moment of the build, and nothing else that changes.
DIFFER = {
    "sitemap.xml": "MkDocs writes each page's <lastmod> as the build date",
    "sitemap.xml.gz": "the same sitemap, gzipped (and gzip stores a timestamp)",
    "chapters/13-reverse-mode/index.html": "Chapter 13 times forward against reverse mode as it builds",
    "search/search_index.json": "the search index holds every page's text, Chapter 13's timings too",
    "chapters/16-many-machines/index.html": "Chapter 16 prints the addresses of the Dask cluster it starts",
}


def _digests(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*")) if p.is_file()
    }


def test_two_clean_builds_are_byte_identical(built_site, tmp_path):
    again = tmp_path / "site"
    result = build_site(REPO, again)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    first, second = _digests(built_site), _digests(again)
    assert sorted(first) == sorted(second), "the two builds hold different files"
    changed = sorted(name for name in first if first[name] != second[name] and name not in DIFFER)
    assert not changed, f"files that differ between two builds of one commit: {changed}"


def test_the_declared_exceptions_exist(built_site):
    """Each exception names a file the build writes; a stale entry would hide nothing and mislead."""
    assert all((built_site / name).is_file() for name in DIFFER)
