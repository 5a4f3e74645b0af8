"""The guard itself: a request to another host is aborted and recorded, from the page and
from a worker, while the local site still loads. Without this, a guard that silently let
everything through would make test_nothing_fetched_from_outside pass for nothing."""

from __future__ import annotations

from urllib.parse import urljoin

OUTSIDE_URLS = ["https://cdn.jsdelivr.net/npm/katex/dist/katex.min.css", "http://example.com/x.js"]

FETCH_ALL = """async (urls) => Promise.all(urls.map((u) =>
    fetch(u, {mode: "no-cors"}).then(() => "fetched", (e) => "failed")))"""

WORKER_FETCH = """async (url) => {
  const code = `fetch(${JSON.stringify(url)}, {mode: "no-cors"})
      .then(() => postMessage("fetched"), () => postMessage("failed"))`;
  const worker = new Worker(URL.createObjectURL(new Blob([code], {type: "text/javascript"})));
  return await new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); });
}"""


def test_requests_to_other_hosts_are_aborted_and_recorded(guarded_context, site_url):
    record: list = []
    ctx = guarded_context(record)  # a throwaway context: its record is its own
    try:
        page = ctx.new_page()
        response = page.goto(urljoin(site_url, "chapters/01-motivation/"))
        assert response is not None and response.ok, "the local site must still load"
        assert page.evaluate(FETCH_ALL, OUTSIDE_URLS) == ["failed", "failed"]
        in_worker = page.evaluate(WORKER_FETCH, "https://fonts.googleapis.com/css?family=Roboto")
        assert in_worker == "failed"
    finally:
        ctx.close()
    recorded = [url for url, _ in record]
    for url in OUTSIDE_URLS + ["https://fonts.googleapis.com/css?family=Roboto"]:
        assert url in recorded, f"{url} was not recorded by the guard; recorded: {recorded}"
    assert all("127.0.0.1" not in url for url in recorded), f"local requests were blocked: {recorded}"
