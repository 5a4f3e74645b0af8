"""The markdown-exec blocks of a page's Markdown source, as the build will see them.

Shared by the site tests and the browser tests (pytest puts ``tests/`` on the path).
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")
SNIPPET = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+["'](?P<path>[^"']+)["'][ \t]*$""")
ATTR = re.compile(r"""(\w+)=("[^"]*"|'[^']*'|\S+)""")
ON = {"on", "1", "true", "yes"}
HIDE = "markdown-exec: hide"


def expand_snippets(text: str, depth: int = 0) -> str:
    """Inline ``--8<-- "file"`` lines (pymdownx.snippets, base path: the repository root)."""
    out = []
    for line in text.splitlines():
        match = SNIPPET.match(line)
        target = REPO / match["path"] if match else None
        if target is not None and target.is_file() and depth < 5:
            out.append(expand_snippets(target.read_text(encoding="utf-8"), depth + 1))
        else:
            out.append(line)
    return "\n".join(out)


def fences(markdown: str) -> list[dict]:
    """Every fenced block of a page (snippets expanded), in page order.

    Each is a dict of the fence's ``key=value`` options, its language as ``"lang"`` (the
    first word of the info string, ``""`` if none) and its ``code`` (for an executed block,
    without the lines markdown-exec hides, as a reader sees it).
    """
    blocks, lines, i = [], expand_snippets(markdown).splitlines(), 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        i += 1
        if not opening:
            continue
        fence, indent = opening["fence"], opening["indent"]
        body = []
        while i < len(lines):
            closing = FENCE.match(lines[i])
            if closing and closing["fence"].startswith(fence) and not closing["info"].strip():
                break
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        info = opening["info"].strip()
        attrs = {k: v.strip("\"'") for k, v in ATTR.findall(info)}
        first = info.split()[0] if info.split() else ""
        attrs["lang"] = "" if "=" in first else first.lstrip(".{")
        executed = attrs.get("exec", "").lower() in ON
        attrs["code"] = "\n".join(b for b in body if not (executed and HIDE in b))
        blocks.append(attrs)
    return blocks


def exec_blocks(markdown: str) -> list[dict]:
    """Each ``exec="on"`` fence of a page (snippets expanded): its options and its ``code``."""
    return [
        {k: v for k, v in b.items() if k != "lang"}
        for b in fences(markdown)
        if b.get("exec", "").lower() in ON
    ]
