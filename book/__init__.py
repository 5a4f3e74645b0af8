"""The book's own build code: how its pages are read, drawn and checked.

Not part of the ``backprop_book`` package a reader installs. The build hooks
(``docs/hooks/``), the tests and the chapters' hidden setup blocks import it;
``python -m mkdocs`` and pytest run from the repository root, which holds it.
"""
