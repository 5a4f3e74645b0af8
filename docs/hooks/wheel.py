"""MkDocs hook: build the book's own wheel from src/ into the site, for the page's Python.

The cells of the book run ``backprop_book`` in the reader's browser (Pyodide). So that
they always run the code the pages document, the package is packed afresh on every
build, from ``src/backprop_book/``, into ``assets/pyodide/`` of the site:

    assets/pyodide/backprop_book-<version>-py3-none-any.whl
    assets/pyodide/backprop_book.json   {"wheel": <that file name>, "sha256": ...}

The worker reads the small JSON to learn the wheel's name. The wheel is pure Python
and byte-reproducible: entries sorted, every timestamp 1980-01-01, fixed permissions
and compression, so the same source gives the same bytes (and the same sha256). It
is written here by hand (METADATA, WHEEL, RECORD as the wheel spec says) because that
takes milliseconds, where a PEP 517 build would take seconds on every rebuild.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import time
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "backprop_book"
SOURCE = REPO / "src" / PACKAGE
TARGET = "assets/pyodide"
INDEX = f"{PACKAGE}.json"
DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say; no build time in the bytes
SHIPPED = {".py", ".typed"}  # modules and the py.typed marker (pyproject's package-data)

log = logging.getLogger(f"mkdocs.hooks.{__name__}")


def package_files(source: Path = SOURCE) -> list[Path]:
    """The files of the package that go into the wheel, sorted (no caches, no stray files)."""
    return sorted(
        p for p in source.rglob("*")
        if p.is_file() and p.suffix in SHIPPED and "__pycache__" not in p.parts
    )


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def build_wheel(pyproject: Path = REPO / "pyproject.toml", source: Path = SOURCE) -> tuple[str, bytes]:
    """The wheel of ``source`` as (file name, bytes), its metadata read from ``pyproject``."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    name, version = project["name"], project["version"]
    dist_info = f"{name}-{version}.dist-info"
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: {project['description']}",
        f"Requires-Python: {project['requires-python']}",
        *(f"Requires-Dist: {dependency}" for dependency in project["dependencies"]),
    ]
    wheel = ["Wheel-Version: 1.0", "Generator: backprop_book docs/hooks/wheel.py",
             "Root-Is-Purelib: true", "Tag: py3-none-any"]
    entries = [(f"{PACKAGE}/{p.relative_to(source).as_posix()}", p.read_bytes()) for p in package_files(source)]
    entries += [
        (f"{dist_info}/METADATA", ("\n".join(metadata) + "\n").encode()),
        (f"{dist_info}/WHEEL", ("\n".join(wheel) + "\n").encode()),
    ]
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in entries)
    entries.append((f"{dist_info}/RECORD", (record + f"{dist_info}/RECORD,,\n").encode()))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path, data in entries:  # package files sorted, then dist-info (RECORD last, as pip writes it)
            info = zipfile.ZipInfo(path, date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # unix, whatever machine builds it
            z.writestr(info, data, compresslevel=9)
    return f"{name}-{version}-py3-none-any.whl", buffer.getvalue()


def on_post_build(config, **kwargs) -> None:
    start = time.perf_counter()
    name, data = build_wheel()
    folder = Path(config["site_dir"]) / TARGET
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f"{PACKAGE}-*.whl"):  # an older version from an earlier build
        stale.unlink()
    (folder / name).write_bytes(data)
    index = {"wheel": name, "sha256": hashlib.sha256(data).hexdigest()}
    (folder / INDEX).write_text(json.dumps(index) + "\n", encoding="utf-8")
    log.info(f"wheel: {TARGET}/{name} ({len(data):,} bytes) in {time.perf_counter() - start:.3f} s")
