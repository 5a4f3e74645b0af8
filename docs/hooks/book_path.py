"""MkDocs hook: put the repository root on ``sys.path``, so ``import book`` works.

The chapters' hidden setup blocks and the other hooks import the book's own build
code (``book/``: parsers, tables, figures). ``python -m mkdocs`` from the root finds
it already; a bare ``mkdocs`` command, or a build from another folder, would not.
Listed first under ``hooks:`` so that it runs at import, before any page executes.
"""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
