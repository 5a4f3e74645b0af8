"""The lock file: every version ``make`` installs, pinned with hashes, and in step with pyproject.toml.

``make`` installs from ``requirements.lock`` with ``--require-hashes`` and ``make lock``
refreshes it. These tests fail when someone edits a requirement in pyproject.toml and
forgets ``make lock``, or when the lock stops pinning what it installs.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements.lock"
EXTRAS = ("test", "docs")  # what `make` installs; bench (PyTorch) is installed on its own


def _locked() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) for every entry of the lock."""
    text = LOCK.read_text(encoding="utf-8")
    entries = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\]+)", block)
        if match:
            entries[canonicalize_name(match[1])] = (match[2], re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return entries


def _required() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = project["project"]["dependencies"] + [
        r for extra in EXTRAS for r in project["project"]["optional-dependencies"][extra]
    ]
    listed += project["build-system"]["requires"]
    return [Requirement(r) for r in listed]


LOCKED = _locked()


def test_the_lock_pins_something():
    assert len(LOCKED) > 20


@pytest.mark.parametrize("requirement", _required(), ids=str)
def test_every_requirement_is_locked_at_a_version_it_allows(requirement):
    name = canonicalize_name(requirement.name)
    assert name in LOCKED, f"{requirement} is in pyproject.toml but not in requirements.lock: run `make lock`"
    version, _ = LOCKED[name]
    assert requirement.specifier.contains(version, prereleases=True), (
        f"requirements.lock pins {name}=={version}, which {requirement} does not allow: run `make lock`"
    )


def test_every_locked_version_carries_its_hashes():
    unhashed = sorted(name for name, (_, hashes) in LOCKED.items() if not hashes)
    assert not unhashed, f"entries without --hash: {unhashed}"


def test_make_installs_from_the_lock_and_nothing_else():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    installs = [line.strip() for line in makefile.splitlines() if "pip install" in line and "$(STAMP)" not in line]
    main = [line for line in installs if "--require-hashes" in line]
    assert main and "-r $(LOCK)" in main[0]
    loose = [line for line in installs if "--require-hashes" not in line and "--no-deps" not in line
             and "pip-tools==" not in line and "[bench]" not in line]
    assert not loose, f"make installs something the lock does not pin: {loose}"
