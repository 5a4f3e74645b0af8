"""MkDocs hook: the API pages' source listings stay out of the search index.

Each function on an API page ends with its source code, folded under "Source code
in ...". Material's search plugin indexed every line of it: half the index's text,
matches on ``return`` and ``xp`` above the prose, and a larger file for every reader
to download, all of it parsed tag by tag at every build. The formula, the docstring
and the signature stay indexed; the listing is taken out of the page while the search
plugin reads it and put back right after, so the page itself is unchanged.
"""

from __future__ import annotations

import re

from mkdocs.plugins import event_priority

SOURCE = re.compile(r'<details class="mkdocstrings-source">.*?</details>', re.S)
_stash: dict[str, list[str]] = {}  # page -> its listings, while the search plugin reads it


def _mark(uri: str, i: int) -> str:
    return f"<!-- search_index: source {i} of {uri} -->"


def on_page_content(html: str, page, **kwargs) -> str:
    listings = SOURCE.findall(html)
    if not listings:
        return html
    uri = page.file.src_uri
    _stash[uri] = listings
    count = iter(range(len(listings)))
    return SOURCE.sub(lambda _: _mark(uri, next(count)), html)


@event_priority(-50)  # after Material's search plugin (priority 0), before the KaTeX hook (-100)
def on_page_context(context, page, **kwargs):
    uri = page.file.src_uri
    for i, listing in enumerate(_stash.pop(uri, [])):
        page.content = page.content.replace(_mark(uri, i), listing, 1)
    return context
