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
