"""Chapter 10's inventory of the book's checks, counted from the files at build time.

Imported by the chapter's hidden setup block. Nothing here runs the tests: it reads
them. Doctests, numbered equations and exec blocks are found with ``book.parse``,
the reader the build hooks and the tests use (so the counts agree with theirs);
test functions by parsing ``tests/`` with ``ast``. Paths are relative to the folder the book is built
from; a folder that is missing (a copy of the book without its tests) counts as empty.
The one figure, the error of finite differences against their step, is drawn from
numbers the page computes with ``backprop_book``.
"""

import ast
import functools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # render to a file, never to a window

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402

from book.parse import chapters, doctests, equations, exec_blocks, package_modules  # noqa: E402
from book.show import inline_svg, svg_style  # noqa: E402


def doctest_inventory(package: str = "backprop_book") -> list[tuple[str, int, int]]:
    """``(module, docstrings with examples, examples)`` for the package and each submodule.

    >>> rows = doctest_inventory()
    >>> rows[0][0], all(examples >= docstrings for _, docstrings, examples in rows)
    ('backprop_book', True)
    """
    rows = []
    for module in package_modules(package):
        tests = doctests(module)  # the docstrings the build hook runs: those with examples
        rows.append((module.__name__, len(tests), sum(len(t.examples) for t in tests)))
    return rows


# What a test file is checked against, read from what it imports or calls.
REFERENCES = {
    "finite differences": {"numerical_gradient", "gradient_check"},
    "autograd": {"autograd"},
    "sympy": {"sympy"},
    "hypothesis": {"hypothesis", "given"},
    "a browser": {"playwright"},  # and every file under tests/browser/
}


@functools.lru_cache(maxsize=None)
def _parsed(path: Path, mtime_ns: int) -> tuple[str, ast.Module]:
    """A test file's text and syntax tree, parsed once per version of the file."""
    text = path.read_text(encoding="utf-8")
    return text, ast.parse(text)


def _parse(path: Path) -> tuple[str, ast.Module]:
    return _parsed(path, path.stat().st_mtime_ns)


def _names(tree: ast.AST) -> set[str]:
    """Every imported module (top-level name), imported name, called name and argument name."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            found |= {(node.module or "").split(".")[0], *(a.name for a in node.names)}
        elif isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
    return found


def _tests(tree: ast.Module) -> list[ast.FunctionDef]:
    """Test functions at module level and in test classes, as pytest collects them."""
    out = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            out.append(node)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            out += [f for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and f.name.startswith("test")]
    return out


def _is_property(fn: ast.FunctionDef) -> bool:
    """Decorated with hypothesis's ``@given(...)``."""
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        if (isinstance(target, ast.Name) and target.id == "given") or (
            isinstance(target, ast.Attribute) and target.attr == "given"
        ):
            return True
    return False


def test_inventory(tests: Path = Path("tests")) -> list[dict]:
    """Per test file: its path, test functions, property tests, references and test names.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "test_x.py").write_text(
    ...     "from hypothesis import given\\n@given(1)\\ndef test_a(): pass\\ndef test_b(): pass\\n")
    >>> [(r["file"], r["tests"], r["property"], r["uses"]) for r in test_inventory(folder)]
    [('test_x.py', 2, 1, ['hypothesis'])]
    >>> test_inventory(folder / "missing")
    []
    """
    rows = []
    for path in sorted(tests.rglob("test_*.py")) if tests.is_dir() else []:
        tree = _parse(path)[1]
        names, fns = _names(tree), _tests(tree)
        rows.append({
            "file": path.relative_to(tests).as_posix(),
            "tests": len(fns),
            "property": sum(_is_property(f) for f in fns),
            "uses": [ref for ref, marks in REFERENCES.items()
                     if names & marks or (ref == "a browser" and "browser" in path.parts)],
            "names": [f.name for f in fns],
        })
    return rows


def tolerances(tests: Path = Path("tests")) -> list[tuple[str, str, float, str]]:
    """Module-level ``*_TOL`` constants in the tests: ``(file, name, value, its comment)``.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "test_y.py").write_text("FD_TOL = 1e-7  # float64\\nN = 3\\n")
    >>> tolerances(folder)
    [('test_y.py', 'FD_TOL', 1e-07, 'float64')]
    """
    rows = []
    for path in sorted(tests.rglob("test_*.py")) if tests.is_dir() else []:
        text, tree = _parse(path)
        lines = text.splitlines()
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name) and node.targets[0].id.endswith("TOL")
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, (int, float))):
                line = lines[node.lineno - 1]
                comment = line.split("#", 1)[1].strip() if "#" in line else ""
                rows.append((path.relative_to(tests).as_posix(), node.targets[0].id,
                             float(node.value.value), comment))
    return rows


def equation_registry(folder: Path = Path("docs/chapters")) -> list[dict]:
    """Every numbered equation in the chapters: number, chapter file, its ``\\tag`` and function.

    The function is the autorefs identifier of the "Computed by" link that opens
    the first line after the display (the book's equation shape, ``book.parse``).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "04-x.md").write_text(
    ...     '<a id="eq-4-4"></a>\\n$$\\nd \\\\tag{4.4}\\n$$\\nComputed by [`f`][pkg.mod.f]:\\n')
    >>> equation_registry(folder)
    [{'number': '4.4', 'chapter': '04-x.md', 'tagged': True, 'function': 'pkg.mod.f'}]
    """
    rows = [{"number": eq.number, "chapter": path.name, "tagged": eq.tag == eq.number,
             "function": eq.computed_by}
            for path in chapters(folder) for eq in equations(path.read_text(encoding="utf-8"))]
    return sorted(rows, key=lambda r: tuple(int(p) for p in r["number"].split(".")))


def exec_block_count(folder: Path = Path("docs/chapters")) -> int:
    """How many executed (markdown-exec) code blocks the chapters' pages hold, exercises included.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "01-x.md").write_text('```python exec="on"\\n1\\n```\\n```python\\n2\\n```\\n')
    >>> exec_block_count(folder), exec_block_count(folder / "missing")
    (1, 0)
    """
    return sum(len(exec_blocks(p.read_text(encoding="utf-8"))) for p in chapters(folder))


INK = "#030303"  # drawn in this colour, then handed over to the page's text colour
STYLE = svg_style("bp-ch10", INK)  # the salt keeps ids stable, so rebuilds give the same page


def step_error_svg(eps, forward_errors, central_errors, chosen=1e-5) -> str:
    """Relative error of forward and central differences against the step, log-log.

    >>> svg = step_error_svg([1e-2, 1e-4], [1e-3, 1e-5], [1e-5, 1e-9])
    >>> svg.startswith("<svg") and INK not in svg
    True
    """
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(6.4, 3.4))
        try:
            ax.loglog(eps, forward_errors, "s--", color="#d9782d", lw=1.6, ms=5,
                      label="forward difference")
            ax.loglog(eps, central_errors, "o-", color="#3f7fd8", lw=2, ms=5,
                      label="central difference (10.1)")
            ax.axvline(chosen, color=INK, alpha=0.4, lw=1, ls=":")
            ax.annotate(f"default ε = {chosen:g}", xy=(chosen, 1), xycoords=("data", "axes fraction"),
                        xytext=(-4, -14), textcoords="offset points", ha="right")
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_major_locator(matplotlib.ticker.LogLocator(numticks=12))
                axis.set_major_formatter(matplotlib.ticker.FuncFormatter(
                    lambda v, _: f"1e{int(round(np.log10(v)))}"))
                axis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            ax.invert_xaxis()  # smaller steps to the right
            ax.set_xlabel("step ε")
            ax.set_ylabel("relative error (10.2)")
            ax.spines[["top", "right"]].set_visible(False)
            ax.legend(loc="upper right", frameon=False)
        except BaseException:
            plt.close(fig)
            raise
        return inline_svg(fig, INK)
