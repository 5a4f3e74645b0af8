"""Shared test settings: one hypothesis profile, small enough for two shared cores, the
``lib`` fixture (each array library in turn, from ``support.libraries``), and the book built
once per session (``built_site``) for the site and browser tests."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from support.libraries import LIBRARIES, Library, library

# derandomize (and no example database): the same examples on every run and machine,
# so a failure reproduces anywhere;
# set HYPOTHESIS_PROFILE=explore to search with fresh random examples instead.
settings.register_profile(
    "book",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "book"))


@pytest.fixture(params=LIBRARIES)
def lib(request: pytest.FixtureRequest) -> Library:
    """NumPy, PyTorch and array-api-strict in turn (skipped, or failed under CI=true, when missing)."""
    return library(request.param)


# ---------------------------------------------------------------- the built book
REPO = Path(__file__).resolve().parents[1]


def build_site(project: Path, site: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """One strict ``mkdocs build`` of ``project`` into ``site``, importing ``project``/src first."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(project / "src"))
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=timeout,
    )


@pytest.fixture(scope="session")
def site_builder():
    """``build_site(project, site)``, for tests that build a modified copy of the book."""
    return build_site


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """This checkout's book and package, copied, so a test can break them."""
    copy = tmp_path / "book"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "site", "__pycache__", ".pytest_cache", ".hypothesis", "test-artifacts",
        "node_modules", "*.egg-info", "build", "tests"))
    return copy


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The book, built once per session by a strict ``mkdocs build``; its log is ``../build.log``."""
    root = tmp_path_factory.mktemp("book")
    site = root / "site"
    result = build_site(REPO, site)
    log = result.stdout + result.stderr
    (root / "build.log").write_text(log, encoding="utf-8")
    if result.returncode != 0:
        pytest.fail(f"strict mkdocs build failed (exit {result.returncode}):\n{log[-6000:]}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def build_log(built_site: Path) -> str:
    """What the session's build of the book logged."""
    return (built_site.parent / "build.log").read_text(encoding="utf-8")
