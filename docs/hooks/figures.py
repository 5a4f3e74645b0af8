"""MkDocs hook: a figure never shrinks below the width at which its text can be read.

The chapters' figures are inline SVG that scale with the column. On a 390 px phone the
column is about 358 px wide and most figures' labels fell to 5-8 px. This hook gives
each figure's ``<svg>`` a minimum width, the width at which its smallest text is
``READABLE_PX`` (``book.show.readable_width``, from the figure's own view box and font
sizes; ``book.show.framed_figures`` does the work), and wraps it in a frame that scrolls sideways when the column is narrower; the
caption stays in the column. In a wide column the minimum is below the width the figure
already has, so nothing changes there. ``scroll-focus.js`` gives a frame that scrolls a
tab stop.
"""

from __future__ import annotations

from book.show import framed_figures


def on_page_content(html: str, **kwargs) -> str:
    return framed_figures(html)
