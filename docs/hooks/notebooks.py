"""MkDocs hook: every chapter as a Jupyter notebook, linked from its page.

For each chapter file (``chapters/NN-topic.md``; the strict build makes every one of
them a nav entry) this hook adds a generated file ``notebooks/NN-topic.ipynb`` to the
site, made by ``book.notebooks`` from the chapter's Markdown, and puts a download link
under the chapter's title. The home page gets the list of all of them. Being files of
the build, the notebooks are served by ``mkdocs serve`` too, and the strict build
checks the links to them like any other link.
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
import logging

from mkdocs.structure.files import File

from book.notebooks import git_commit, hidden_dependencies, notebook, package_version
from book.parse import CHAPTER_GLOB

log = logging.getLogger(f"mkdocs.hooks.{__name__}")
LINK = "Download this chapter as a notebook"
_chapters: dict[str, tuple[str, str]] = {}  # chapter src_uri -> (its notebook's uri, its title)


def _is_chapter(uri: str) -> bool:
    folder, _, name = uri.rpartition("/")
    return folder == "chapters" and fnmatch.fnmatch(name, CHAPTER_GLOB)


def on_files(files, config, **kwargs):
    pinned, commit = package_version(), git_commit()
    _chapters.clear()
    for file in sorted((f for f in files if _is_chapter(f.src_uri)), key=lambda f: f.src_uri):
        uri = f"notebooks/{file.name}.ipynb"
        text = notebook(Path(file.abs_src_path), pinned, commit)
        files.append(File.generated(config, uri, content=text))
        _chapters[file.src_uri] = (uri, json.loads(text)["metadata"]["backprop_book"]["title"])
        leaning = hidden_dependencies(Path(file.abs_src_path).read_text(encoding="utf-8"))
        if leaning:  # the notebook, without the hidden blocks, fails there
            log.info("notebooks: %s: shown code reads names only hidden blocks define: %s", file.src_uri,
                     ", ".join(f"{block} reads {name} ({hidden})" for block, name, hidden in leaning))
    log.info("notebooks: %d chapter notebooks (backprop_book %s, commit %s)",
             len(_chapters), pinned, commit[:12])
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    uri = page.file.src_uri
    if uri in _chapters:
        lines = markdown.split("\n")
        title = next((n for n, line in enumerate(lines) if line.startswith("# ")), -1)
        target = "../" + _chapters[uri][0]
        link = f'[{LINK}]({target}){{ .notebook-link download="{target.rsplit("/", 1)[-1]}" }}'
        return "\n".join(lines[: title + 1] + ["", link, ""] + lines[title + 1:])
    if uri == "index.md" and _chapters:
        items = [f"- [{title}]({nb}){{ download }}" for nb, title in _chapters.values()]
        return markdown.rstrip("\n") + "\n\n## Notebooks\n\nEvery chapter as a Jupyter notebook, " \
            "its shown code and exercises ready to run:\n\n" + "\n".join(items) + "\n"
    return markdown
