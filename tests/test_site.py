"""The built book: every page there, nothing broken on it, and the build's gates really close.

``built_site`` (tests/conftest.py) is one strict ``mkdocs build`` of this checkout. The
negative tests build a modified copy of the project and check that the build fails for
the planted reason: a block that raises, a doctest with a wrong value, a docstring that
cites an equation no chapter defines, an equation anchor defined twice.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

import backprop_book
from book.parse import chapters, equations, exec_blocks, expand_snippets, package_modules

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
CHAPTERS = chapters(DOCS / "chapters")
BOOK_CHAPTERS = [  # fixed by the team brief; everyone links to these names
    "01-motivation", "02-network", "03-useful-formulas", "04-output-layer",
    "05-hidden-layer", "06-generalization", "07-biases", "08-worked-example",
    "09-training", "10-self-check", "11-activations-and-losses", "12-performance",
    "13-reverse-mode",
    "14-depth", "15-minibatches", "16-many-machines",
]
MODULES = sorted(
    m.name for m in pkgutil.iter_modules(backprop_book.__path__) if not m.name.startswith("_")
)

# Text that only a failed block, an unprocessed directive or a broken include leaves behind.
FAILURE_MARKERS = [
    "Traceback (most recent call last)",  # markdown-exec shows a failed block's traceback
    "<code block: ",  # ... whose frames are named after the block
    "exited with errors",
    "exited with unexpected code",
    "::: backprop_book",  # an API block mkdocstrings did not render
    "--8<--",  # a snippet include that was not expanded
    'exec="on"',  # a fence markdown-exec did not run
]
# Exceptions a reader should never see in an executed block's output. (ValueError and
# TypeError are left out: a chapter may show the package's own messages on purpose.)
ERROR_NAMES = re.compile(
    r"\b(NameError|ImportError|ModuleNotFoundError|AttributeError|SyntaxError|KeyError|"
    r"IndexError|ZeroDivisionError|RuntimeError|AssertionError|UnboundLocalError)\b"
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}


# ---------------------------------------------------------------- reading the built pages


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]


class _TreeBuilder(HTMLParser):
    """A forgiving little DOM: enough to walk a page's article and its code blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.node)
        self.node.children.append(node)
        if tag not in VOID:
            self.node = node

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(Node(tag, dict(attrs), self.node))

    def handle_endtag(self, tag):
        node = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def parse(page: Path) -> Node:
    builder = _TreeBuilder()
    builder.feed(page.read_text(encoding="utf-8"))
    return builder.root


def article(root: Node) -> Node:
    found = next((n for n in root.iter() if n.tag == "article"), None)
    assert found is not None, "no <article> in the page"
    return found


def own_content(body: Node) -> Node:
    """A chapter's article up to its included "Exercises" section, which must not stand in for it."""
    own = Node("article", {}, None)
    for child in body.children:
        if isinstance(child, Node) and child.tag == "h2" and child.attrs.get("id") == "exercises":
            break
        own.children.append(child)
    return own


def is_doctest(node: Node) -> bool:
    return ">>>" in node.text()


def prose(node: Node, skip=("pre", "code", "script", "style")) -> str:
    """Visible text outside code blocks and outside arithmatex formulas."""
    if isinstance(node, str):
        return node
    if node.tag in skip or "arithmatex" in node.classes:
        return " "
    return "".join(prose(c, skip) for c in node.children)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def chapter_page(site: Path, chapter: Path) -> Path:
    return site / "chapters" / chapter.stem / "index.html"


def all_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name == "index.html" or p.name == "404.html")


# ---------------------------------------------------------------- exec blocks in the sources

CHAPTER_BLOCKS = {c.stem: exec_blocks(c.read_text(encoding="utf-8")) for c in CHAPTERS}
# the chapter's own blocks, without those its snippets include (its exercises)
OWN_BLOCKS = {stem: [b for b in blocks if not b["file"]] for stem, blocks in CHAPTER_BLOCKS.items()}


# ---------------------------------------------------------------- the built site


def test_the_build_ran_every_doctest_of_this_checkout(build_log):
    match = re.search(r"doctests: (\d+) passed in (\d+) modules \((.+?), [\d.]+ s\)", build_log)
    assert match, f"the doctest hook did not report; build log:\n{build_log[-3000:]}"
    passed, modules, where = int(match[1]), int(match[2]), Path(match[3])
    assert where == REPO / "src" / "backprop_book"
    assert modules == len(package_modules("backprop_book"))
    assert passed >= len(backprop_book.__all__), "fewer doctest examples than public names"


def test_the_chapters_are_the_books_twelve():
    assert [c.stem for c in CHAPTERS] == BOOK_CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_every_chapter_page_is_built(built_site, chapter):
    page = chapter_page(built_site, chapter)
    assert page.is_file(), f"{chapter.name} was not built into {page}"
    heading = next((n for n in article(parse(page)).iter() if n.tag == "h1"), None)
    assert heading is not None and norm(heading.text()).strip("¶ "), f"{page} has no title"


def test_exercise_files_are_included_not_built(built_site):
    assert not (built_site / "chapters" / "exercises").exists()
    for chapter in CHAPTERS:
        include = f'--8<-- "docs/chapters/exercises/{chapter.name}"'
        if include in chapter.read_text(encoding="utf-8"):
            assert (DOCS / "chapters" / "exercises" / chapter.name).is_file()


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_an_api_page(built_site, module):
    source = DOCS / "reference" / f"{module}.md"
    assert source.is_file(), f"no API page docs/reference/{module}.md"
    assert f"::: backprop_book.{module}" in source.read_text(encoding="utf-8")
    page = built_site / "reference" / module / "index.html"
    assert page.is_file(), f"{source} is not built (is it in mkdocs.yml's nav?)"
    ids = {n.attrs.get("id") for n in parse(page).iter()}
    mod = importlib.import_module(f"backprop_book.{module}")
    public = [n for n in backprop_book.__all__ if getattr(backprop_book, n).__module__ == mod.__name__]
    missing = [n for n in public if f"backprop_book.{module}.{n}" not in ids]
    assert not missing, f"{page} has no entry for {missing}"


def test_api_blocks_stay_off_chapter_pages():
    for chapter in CHAPTERS:
        text = expand_snippets(chapter.read_text(encoding="utf-8"))
        assert not re.search(r"^\s*::: ", text, re.M), f"{chapter.name} has a ::: API block"


@pytest.mark.parametrize("rel", ["index.html", *(f"chapters/{c}/index.html" for c in BOOK_CHAPTERS),
                                 *(f"reference/{m}/index.html" for m in ["index", *MODULES])])
def test_no_traceback_or_error_text(built_site, rel):
    rel = rel.replace("reference/index/", "reference/")
    page = built_site / rel
    assert page.is_file(), f"{rel} missing"
    body = article(parse(page))
    shown = [n for n in body.iter() if n.tag == "pre" and not is_doctest(n)]
    text = prose(body) + "\n".join(n.text() for n in shown)
    found = [m for m in FAILURE_MARKERS if m in text]
    assert not found, f"{rel} shows {found}"
    errors = sorted({m[0] for n in shown for m in ERROR_NAMES.finditer(n.text())})
    assert not errors, f"{rel} shows {errors} in a code block or output"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_formulas_on_every_chapter(built_site, chapter):
    page = article(parse(chapter_page(built_site, chapter)))
    body = own_content(page)
    formulas = [n for n in body.iter() if "arithmatex" in n.classes]
    assert formulas, f"{chapter.name}: no formula (span/div.arithmatex) before its Exercises"
    text = prose(page)
    # $$ left in the prose means a display that arithmatex did not take (e.g. glued to a paragraph)
    leftover = [m for m in ("$$", "\\tag{", "\\frac", "\\begin{") if m in text]
    assert not leftover, f"{chapter.name}: raw TeX {leftover} outside any formula"


@pytest.mark.parametrize("chapter", CHAPTERS[1:], ids=lambda c: c.stem)
def test_chapters_run_code(chapter):
    assert OWN_BLOCKS[chapter.stem], f"{chapter.name} has no executed block of its own (before its Exercises)"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_executed_output_is_present(built_site, chapter):
    blocks = CHAPTER_BLOCKS[chapter.stem]
    ids = [b.get("id") for b in blocks]
    assert all(ids), f"{chapter.name}: every exec block needs an id= (some have none)"
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"{chapter.name}: exec block ids used twice: {dupes}"
    session = f"ch{chapter.stem[:2]}"
    assert all(b.get("session") == session for b in blocks), f"use session=\"{session}\""
    body = article(parse(chapter_page(built_site, chapter)))
    code_blocks = [n for n in body.iter()
                   if "highlight" in n.classes or (n.tag == "pre" and "highlight" not in n.parent.classes)]
    problems = []
    for block in blocks:
        where = block.get("source", "").lower()
        if where not in ("above", "below"):
            continue  # no shown source to find the output beside
        code = norm(block["code"])
        shown = next((n for n in code_blocks if norm(n.text()) == code), None)
        if shown is None:
            problems.append(f"{block['id']}: its source is not on the page")
            continue
        siblings = shown.parent.elements()
        at = siblings.index(shown) + (1 if where == "above" else -1)
        out = siblings[at] if 0 <= at < len(siblings) else None
        has = out is not None and out.tag not in {"h1", "h2", "h3", "h4", "h5", "h6"} and (
            norm(out.text()) or any(n.tag in {"svg", "img", "table"} for n in out.iter()))
        if not has:
            problems.append(f"{block['id']}: no executed output {'after' if where == 'above' else 'before'} its source")
    assert not problems, f"{chapter.name}: " + "; ".join(problems)


def test_internal_links_and_anchors_resolve(built_site):
    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = {n.attrs["id"] for n in parse(page).iter() if n.attrs.get("id")}
        return ids[page]

    broken = []
    for page in all_pages(built_site):
        rel = page.relative_to(built_site).as_posix()
        base = "http://site/" + rel
        for node in parse(page).iter():
            href = node.attrs.get("href") if node.tag == "a" else None
            if not href or href.startswith(("http:", "https:", "mailto:", "javascript:")):
                continue
            url = urlsplit(urljoin(base, href))
            if url.netloc != "site":
                continue
            target = built_site / unquote(url.path).lstrip("/")
            if url.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{rel}: {href} (no such file)")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in anchors(target):
                broken.append(f"{rel}: {href} (no such anchor)")
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:40])


def test_katex_is_served_by_the_site(built_site):
    katex = built_site / "assets" / "katex"
    for name in ["katex.min.css", "LICENSE"]:
        assert (katex / name).is_file(), f"vendored KaTeX lacks {name}"
    css = (katex / "katex.min.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\(([^)]+)\)", css)
    assert fonts and all(not f.startswith(("http", "//")) for f in fonts)
    assert all((katex / f.strip("\"'")).is_file() for f in fonts), "a font the stylesheet names is missing"


def test_pages_load_nothing_from_outside(built_site):
    outside = []
    for page in all_pages(built_site):
        for node in parse(page).iter():
            url = node.attrs.get("src") if node.tag in {"script", "img", "iframe"} else None
            if node.tag == "link" and "canonical" not in (node.attrs.get("rel") or ""):
                url = node.attrs.get("href")
            if url and (url.startswith("//") or urlsplit(url).scheme in {"http", "https"}):
                outside.append(f"{page.relative_to(built_site)}: <{node.tag}> {url}")
        text = page.read_text(encoding="utf-8")
        outside += [f"{page.relative_to(built_site)}: {h}" for h in ("fonts.googleapis", "fonts.gstatic") if h in text]
    assert not outside, "\n".join(outside[:20])
    scripts = [n.attrs.get("src", "") for n in parse(built_site / "index.html").iter() if n.tag == "script"]
    assert scripts and not [s for s in scripts if "katex" in s], "formulas are typeset at build: no KaTeX script"


def test_api_entries_link_back_to_their_equations(built_site, build_log):
    match = re.search(r"equations: (\d+) anchors and (\d+) exec blocks.*?, (\d+) links .*?, "
                      r"(\d+) citations pending(.*)", build_log)
    assert match, "the equations hook did not report"
    anchors, blocks, links, pending = (int(g) for g in match.groups()[:4])
    assert pending == 0, f"docstrings cite equations whose chapters define none yet:{match[5]}"
    assert anchors > 0 and links > 0
    # the build counted what these tests count, with the same reader (book.parse)
    assert anchors == sum(len(equations(c.read_text(encoding="utf-8"))) for c in CHAPTERS)
    assert blocks == sum(len(b) for b in CHAPTER_BLOCKS.values())
    # and no citation on an API page was left as plain text
    for module in MODULES:
        body = article(parse(built_site / "reference" / module / "index.html"))
        plain = re.findall(r"Equations? \(\d+\.\d+\)", prose(body, skip=("pre", "code", "script", "style", "a")))
        assert not plain, f"reference/{module}: unlinked {plain}"


# ---------------------------------------------------------------- the gates close


def _build(site_builder, project: Path) -> tuple[int, str]:
    result = site_builder(project, project / "site")
    return result.returncode, result.stdout + result.stderr


def test_a_block_that_raises_fails_the_build(site_builder, project_copy):
    chapter = project_copy / "docs" / "chapters" / "01-motivation.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + (
        '\n```python exec="on" session="ch01" id="ch01-planted-failure"\n'
        'raise RuntimeError("planted by test_site")\n```\n'), encoding="utf-8")
    code, log = _build(site_builder, project_copy)
    assert code != 0, "a chapter block raised and the strict build still succeeded"
    assert "ch01-planted-failure" in log and "planted by test_site" in log


def _plant_wrong_doctest(module: Path) -> str:
    """Change the expected output of the first plain doctest example in ``module``."""
    lines = module.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines[:-1]):
        want = lines[i + 1].strip()
        if line.strip().startswith(">>> ") and want and not want.startswith((">>>", "...", "Traceback")):
            indent = lines[i + 1][: len(lines[i + 1]) - len(lines[i + 1].lstrip())]
            lines[i + 1] = f"{indent}'a wrong expected value'\n"
            module.write_text("".join(lines), encoding="utf-8")
            return line.strip()[4:]
    raise AssertionError(f"no doctest example to break in {module}")


def test_a_wrong_doctest_fails_the_build(site_builder, project_copy):
    package = project_copy / "src" / "backprop_book"
    example = _plant_wrong_doctest(package / "activation.py")
    code, log = _build(site_builder, project_copy)
    assert code != 0, "a docstring's expected value is wrong and the build still succeeded"
    # the hook imported the copy (PYTHONPATH), not the editable install of this checkout
    assert f"failed in {package}" in log, log[-3000:]
    assert "a wrong expected value" in log and example in log


def test_citing_an_undefined_equation_fails_the_build(site_builder, project_copy):
    chapter = project_copy / "docs" / "chapters" / "01-motivation.md"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + '\n<a id="eq-1-98"></a>\n$$\nx = 1 \\tag{1.98}\n$$\n', encoding="utf-8")
    module = project_copy / "src" / "backprop_book" / "bias.py"
    text = module.read_text(encoding="utf-8")
    cited = re.search(r"Equation \(\d+\.\d+\)", text)
    assert cited, f"{module} cites no equation"
    module.write_text(text.replace(cited[0], "Equations (99.1) and (1.99)", 1), encoding="utf-8")
    code, log = _build(site_builder, project_copy)
    assert code != 0, "a docstring cites equations no chapter defines and the build still succeeded"
    assert "(99.1): there is no chapter 99" in log
    assert "(1.99): chapters/01-motivation.md defines no anchor eq-1-99" in log


def test_an_equation_anchor_defined_twice_fails_the_build(site_builder, project_copy):
    for name in ("01-motivation.md", "02-network.md"):
        chapter = project_copy / "docs" / "chapters" / name
        chapter.write_text(chapter.read_text(encoding="utf-8")
                           + '\n<a id="eq-1-97"></a>\n$$\nx \\tag{1.97}\n$$\n', encoding="utf-8")
    code, log = _build(site_builder, project_copy)
    assert code != 0
    assert "anchor eq-1-97 is defined twice" in log


def test_the_equation_shape_of_the_brief_renders_as_a_display():
    """Anchor, $$ lines and the "Computed by" line with no blank lines between them."""
    import importlib.util

    import markdown

    spec = importlib.util.spec_from_file_location("equations_hook", DOCS / "hooks" / "equations.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    text = hook.separate_displays(
        'Before.\n<a id="eq-4-4"></a>\n$$\n\\delta_j = y_j \\tag{4.4}\n$$\nComputed by `f`:\n'
        '\n```python\nprint("$$")\n```\n')
    md = markdown.Markdown(extensions=["pymdownx.arithmatex", "pymdownx.superfences"],
                           extension_configs={"pymdownx.arithmatex": {"generic": True}})
    out = md.convert(text)
    assert '<div class="arithmatex">\\[\n\\delta_j = y_j \\tag{4.4}\n\\]</div>' in out
    assert "<p>Computed by <code>f</code>:</p>" in out
    assert '```python\nprint("$$")\n```' in text, "the hook changed a code fence"


# ---------------------------------------------------------------- formulas typeset at build

ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">')
# What docs/hooks/katex.py puts inside each: KaTeX's tree, MathML first (htmlAndMathml).
KATEX_TREE = re.compile(r'(?:<span class="katex-display">)?<span class="katex"><span class="katex-mathml"><math ')
# Code, scripts and the TeX source that KaTeX keeps inside its MathML are allowed to hold TeX.
TEX_ALLOWED = re.compile(r"<(pre|code|script|style|annotation)\b.*?</\1>", re.S)


def _load_hook(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"{name}_hook", DOCS / "hooks" / f"{name}.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook


def test_every_formula_is_typeset_at_build_with_mathml(built_site, build_log):
    counts, untypeset, raw = {}, [], []
    for page in all_pages(built_site):
        rel = page.relative_to(built_site).as_posix()
        text = page.read_text(encoding="utf-8")
        starts = list(ARITHMATEX.finditer(text))
        counts[rel] = len(starts)
        untypeset += [f"{rel}: {text[m.end():m.end() + 60]!r}" for m in starts
                      if not KATEX_TREE.match(text, m.end())]
        outside = TEX_ALLOWED.sub("", text)
        raw += [f"{rel}: {outside[max(0, m.start() - 40):m.end() + 40]!r}"
                for m in re.finditer(r"\\\(|\\\[|\$\$", outside)]
    assert not untypeset, f"{len(untypeset)} formulas without KaTeX + MathML:\n" + "\n".join(untypeset[:20])
    assert not raw, "TeX delimiters left outside code:\n" + "\n".join(raw[:20])
    logged = re.search(r"katex: (\d+) formulas typeset on (\d+) pages", build_log)
    assert logged, "the katex hook did not report"
    assert int(logged[1]) == sum(counts.values()) > 500, (logged[0], sum(counts.values()))
    # formulas from every source: chapter prose, API docstrings, executed blocks' output
    assert counts["reference/output_layer/index.html"] > 0, "no typeset formula in the API pages"
    worked = (built_site / "chapters" / "08-worked-example" / "index.html").read_text(encoding="utf-8")
    cells = re.findall(r"<t[hd][^>]*>(?:(?!</t[hd]>).)*?class=\"katex\"", worked, re.S)
    assert len(cells) >= 4, "Chapter 8's printed tables hold no typeset formula"


def test_pages_load_no_katex_javascript(built_site):
    for page in all_pages(built_site):
        scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", page.read_text(encoding="utf-8"))
        assert not [s for s in scripts if "katex" in s or "auto-render" in s], page
    assert not (built_site / "assets" / "katex" / "katex.min.js").exists(), "build input, not site content"


def test_search_index_holds_tex_not_katex_output(built_site):
    import json

    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text = "\n".join(d["title"] + "\n" + d["text"] for d in docs)
    # KaTeX's glyphs for the book's commonest symbols (the prose itself writes them in TeX)
    for soup in ("\u2202", "\u2211", "\u200b", "\u2061", "katex-", "<math"):
        assert soup not in text, f"KaTeX output {soup!r} in the search index"
    # a formula is indexed by its TeX source: e.g. the output delta of Chapter 4
    assert "\\delta_k" in text and "\\frac{\\partial" in text


def test_search_indexes_the_api_docstrings_but_not_their_source_listings(built_site):
    import json

    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    api = "\n".join(d["text"] for d in docs if d["location"].startswith("reference/"))
    assert "The linear combination a layer computes before its activation" in api
    assert "Source code in" not in api and "added into it" not in api, "a source listing reached the index"
    page = (built_site / "reference" / "network" / "index.html").read_text(encoding="utf-8")
    assert page.count('<details class="mkdocstrings-source">') >= 4 and "added into it" in page, (
        "the listings must stay on the page")
    assert "search_index: source" not in page, "a placeholder was left on the page"


def test_a_katex_parse_error_fails_the_build_naming_page_and_formula(site_builder, project_copy):
    chapter = project_copy / "docs" / "chapters" / "02-network.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA planted bad formula $\\frac{$ here.\n",
                       encoding="utf-8")
    code, log = _build(site_builder, project_copy)
    assert code != 0, "a formula KaTeX cannot parse and the strict build still succeeded"
    assert "chapters/02-network.md: KaTeX parse error" in log, log[-3000:]
    assert "in the formula \\(\\frac{\\)" in log, log[-3000:]


@pytest.fixture(scope="module")
def katex_engine():
    hook = _load_hook("katex")
    engine = hook.Katex(DOCS / hook.KATEX_JS)
    yield hook, engine
    engine.close()


def test_the_hook_typesets_caches_and_names_errors(katex_engine):
    hook, engine = katex_engine
    errors: list[str] = []
    page = ('<p><span class="arithmatex">\\(a &lt; b\\)</span> and <span class="arithmatex">\\(a &lt; b\\)</span></p>'
            '<div class="arithmatex">\\[\\sum_k x_k\\]</div><span class="arithmatex">\\(x^^2\\)</span>')
    calls = engine.calls
    out = hook.typeset(page, "chapters/99-test.md", engine, errors)
    assert out.count('<span class="katex">') == 3 and out.count("<math ") == 3
    assert '<div class="arithmatex"><span class="katex-display">' in out
    assert "<mo>&lt;</mo>" in out, "the escaped < reached KaTeX as <"
    assert engine.calls - calls == 3, "the repeated formula was typeset twice"
    assert errors == ["chapters/99-test.md: KaTeX parse error: Expected group after '^' at position 2: "
                      "x^\u0332^2 in the formula \\(x^^2\\)"]
    assert '<span class="arithmatex">\\(x^^2\\)</span>' in out, "a failed formula is left as it was"
