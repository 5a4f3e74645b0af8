"""The Material features a reader uses: search, the light/dark toggle, the copy button on
code, and the previous/next links in the footer. Each drives the page like a reader does."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

FIRST = "chapters/01-motivation/"
SECOND = "chapters/02-network/"
# The API entries of hidden_delta: equation (5.2) in hidden_layer, (6.1) in general.
# Material's search.highlight adds ?h=<query> before the anchor.
HIDDEN_DELTA_ENTRY = re.compile(
    r"/reference/(hidden_layer|general)/(\?h=[^#]*)?#backprop_book\.\1\.hidden_delta$"
)
COPY_BUTTON = '.md-clipboard, nav.md-code__nav > [data-md-type="copy"]'



@pytest.fixture
def page(context, site_url, page_reports):
    """A fresh tab in the session's context (after the per-page pass, so it sees no
    palette or search state left by these tests)."""
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield tab
    tab.close()
    assert not errors, f"errors while using the page: {errors}"


def test_search_lists_the_api_entry_of_hidden_delta(page, site_url):
    page.goto(urljoin(site_url, FIRST))
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("hidden_delta", delay=20)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(state="attached", timeout=10_000)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.md-search-result__item a')]
                 .some((a) => a.href.includes('hidden_delta'))""",
        timeout=10_000,
    )
    hrefs = results.evaluate_all("links => links.map((a) => a.href)")
    assert any(HIDDEN_DELTA_ENTRY.search(h) for h in hrefs), (
        "no search result links to hidden_delta's API entry; results: " + "\n".join(hrefs)
    )
    index = next(i for i, h in enumerate(hrefs) if HIDDEN_DELTA_ENTRY.search(h))
    entry = hrefs[index]
    results.nth(index).click()
    page.wait_for_url(lambda url: url.split("#")[0] == entry.split("#")[0])
    anchor = entry.split("#", 1)[1]
    assert page.locator(f'[id="{anchor}"]').count() == 1, f"the page has no element #{anchor}"


def test_palette_toggle_switches_between_light_and_dark(page, site_url):
    page.goto(urljoin(site_url, FIRST))
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
    first = scheme()
    assert first in {"default", "slate"}, f"unexpected palette {first!r}"
    toggle = page.locator('form[data-md-component="palette"] label:visible')
    toggle.first.click()
    page.wait_for_function(
        "(s) => document.body.getAttribute('data-md-color-scheme') !== s", arg=first, timeout=5000
    )
    second = scheme()
    assert {first, second} == {"default", "slate"}, f"toggle went from {first!r} to {second!r}"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    toggle.first.click()  # and back: later pages of the session see the reader's default
    page.wait_for_function(
        "(s) => document.body.getAttribute('data-md-color-scheme') === s", arg=first, timeout=5000
    )
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background, (
        "the palette attribute changed but the page's background colour did not"
    )


def test_copy_button_copies_the_code(page, context, site_url):
    page.goto(urljoin(site_url, SECOND))
    blocks = page.locator("article pre:has(> code)")
    if blocks.count() == 0:
        page.goto(urljoin(site_url, "reference/hidden_layer/"))
        blocks = page.locator("article pre:has(> code)")
    assert blocks.count() > 0, "no code block to copy from"
    block = blocks.first
    button = block.locator(COPY_BUTTON)
    assert button.count() == 1, f"the code block has no copy button ({COPY_BUTTON})"
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    try:
        block.hover()
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
    finally:
        context.clear_permissions()
    code = block.locator("code").inner_text()
    assert copied.strip() and copied.strip() == code.strip(), (
        f"the copy button copied {copied[:80]!r}, the block shows {code[:80]!r}"
    )


def test_previous_and_next_links_navigate(page, site_url):
    page.goto(urljoin(site_url, FIRST))
    page.locator("a.md-footer__link--next").click()
    page.wait_for_url(urljoin(site_url, SECOND))
    assert page.locator("article h1").first.inner_text().strip(), "chapter 2 has no title"
    page.locator("a.md-footer__link--prev").click()
    page.wait_for_url(urljoin(site_url, FIRST))
