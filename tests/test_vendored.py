"""The vendored in-page runtime (docs/assets/pyodide/) is exactly what its sources vouch for.

Every file's sha256 equals the one its source records: npm's ``pyodide-lock.json`` for
NumPy, the manifest (written from npm's tarball and PyPI) for the rest; nothing sits in
the folder that the manifest does not list. ``scripts/update_pyodide.py`` writes the
folder; these tests read it without the network.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("update_pyodide", REPO / "scripts" / "update_pyodide.py")
update_pyodide = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update_pyodide)
FOLDER = update_pyodide.DEST


def test_every_vendored_file_matches_its_recorded_sha256():
    assert update_pyodide.problems(FOLDER) == []


def test_numpy_is_trusted_through_the_pyodide_lock():
    lock = json.loads((FOLDER / "pyodide-lock.json").read_text(encoding="utf-8"))
    numpy = lock["packages"]["numpy"]
    assert lock["info"]["version"] == update_pyodide.PYODIDE
    assert numpy["file_name"] == update_pyodide.NUMPY
    # the hash the issue quotes from npm pyodide@0.27.7's lock
    assert numpy["sha256"] == "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08"
    assert update_pyodide.sha256(FOLDER / update_pyodide.NUMPY) == numpy["sha256"]


def test_only_the_packages_the_book_loads_are_shipped():
    wheels = sorted(p.name.split("-")[0] for p in FOLDER.glob("*.whl"))
    assert wheels == ["array_api_compat", "numpy"]


@pytest.fixture
def copy_of_folder(tmp_path: Path) -> Path:
    """A copy of the folder's small files, the big ones replaced by links to the originals."""
    copy = tmp_path / "pyodide"
    copy.mkdir()
    for path in FOLDER.iterdir():
        if path.stat().st_size < 200_000:
            shutil.copyfile(path, copy / path.name)
        else:
            (copy / path.name).symlink_to(path)
    assert update_pyodide.problems(copy) == []
    return copy


def test_a_changed_byte_is_caught(copy_of_folder: Path):
    wheel = next(copy_of_folder.glob("array_api_compat-*.whl"))
    data = bytearray(wheel.read_bytes())
    data[100] ^= 1
    wheel.write_bytes(bytes(data))
    (found,) = update_pyodide.problems(copy_of_folder)
    assert found.startswith(wheel.name + ": sha256") and "PyPI array-api-compat" in found


def test_a_numpy_wheel_the_lock_does_not_vouch_for_is_caught(copy_of_folder: Path):
    numpy = copy_of_folder / update_pyodide.NUMPY
    numpy.unlink()
    numpy.write_bytes(b"not the official wheel")
    (found,) = update_pyodide.problems(copy_of_folder)
    assert "pyodide-lock.json says ebb61241" in found


def test_an_unlisted_or_missing_file_is_caught(copy_of_folder: Path):
    (copy_of_folder / "scipy-1.14.1-cp312-cp312-pyodide_2024_0_wasm32.whl").write_bytes(b"")
    (copy_of_folder / "pyodide.js").unlink()
    assert update_pyodide.problems(copy_of_folder) == [
        "unlisted file scipy-1.14.1-cp312-cp312-pyodide_2024_0_wasm32.whl (not in vendored.json)",
        "missing file pyodide.js",
    ]


# ---------------------------------------------------------------- the book's own wheel


def _wheel_hook():
    spec = importlib.util.spec_from_file_location("hook_wheel", REPO / "docs" / "hooks" / "wheel.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_built_site_carries_a_wheel_of_exactly_src(built_site: Path):
    import base64
    import hashlib
    import zipfile

    folder = built_site / "assets" / "pyodide"
    index = json.loads((folder / "backprop_book.json").read_text(encoding="utf-8"))
    wheel = folder / index["wheel"]
    assert index["wheel"] == "backprop_book-0.1.0-py3-none-any.whl"
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == index["sha256"]
    src = REPO / "src" / "backprop_book"
    modules = {f"backprop_book/{p.relative_to(src).as_posix()}" for p in src.rglob("*.py")}
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        packaged = {n for n in names if not n.startswith("backprop_book-0.1.0.dist-info/")}
        assert packaged == modules | {"backprop_book/py.typed"}
        for name in modules:
            assert z.read(name) == (REPO / "src" / name).read_bytes(), name
        # RECORD: every other file with its urlsafe-base64 sha256 and size, as pip checks it
        record = z.read("backprop_book-0.1.0.dist-info/RECORD").decode().splitlines()
        rows = dict(line.split(",", 1) for line in record)
        assert set(rows) == set(names)
        for name in names:
            if name.endswith("RECORD"):
                continue
            data = z.read(name)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert rows[name] == f"sha256={digest},{len(data)}", name
        metadata = z.read("backprop_book-0.1.0.dist-info/METADATA").decode()
        assert "Requires-Dist: array-api-compat>=1.11" in metadata and "Name: backprop_book" in metadata
        assert "Tag: py3-none-any" in z.read("backprop_book-0.1.0.dist-info/WHEEL").decode()
    assert names == sorted(n for n in names if not n.startswith("backprop_book-0")) + [
        n for n in names if n.startswith("backprop_book-0")]


def test_the_wheel_is_byte_reproducible_and_fast(tmp_path: Path):
    hook = _wheel_hook()
    name, first = hook.build_wheel()
    started = time.perf_counter()
    _, second = hook.build_wheel()
    assert time.perf_counter() - started < 0.5
    assert first == second
    # a changed module changes the wheel: it is built from src/, not cached
    copy = tmp_path / "backprop_book"
    shutil.copytree(hook.SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "loss.py").write_text((copy / "loss.py").read_text() + "\n# edited\n")
    assert hook.build_wheel(source=copy)[1] != first
