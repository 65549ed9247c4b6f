"""Lesson text: Markdown written by trainers, rendered and sanitised like all user-written text."""

from __future__ import annotations

import markdown  # type: ignore[import-untyped]

from marketplace.core.text import sanitise_html


def render_markdown(text: str) -> str:
    """Markdown → HTML kept to ``marketplace.core.text``'s simple tags (no scripts, no images).

    Images are dropped on purpose: a lesson must stay light on a 400 kbps phone connection.
    """
    return sanitise_html(markdown.markdown(text or "", extensions=["sane_lists"]))
