"""``{% photo_img photo sizes="(max-width: 600px) 100vw, 33vw" %}``: a responsive ``<picture>``.

AVIF first, then WebP, both as ``srcset`` over the derivative ladder, so a cheap phone on a slow
link downloads the smallest file that fills its screen. ``width``/``height`` reserve the box (no
layout jump); the dominant colour and a ~16 px preview paint it until the image arrives;
``loading="lazy"`` fetches only what scrolls into view. Until the derivatives exist the preview
alone is shown. Nothing here reads the database or lists the storage: everything comes from the
photo's row, and the master is never linked.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ..models import ProductPhoto
from ..processing import CARD_WIDTH

register = template.Library()

_HEX = re.compile(r"^#[0-9a-f]{6}$")
_ATTRIBUTE = re.compile(r"^(class|id|fetchpriority|itemprop|data-[a-z0-9-]+)$")
_MIME = {"avif": "image/avif", "webp": "image/webp"}


def _alt(photo: ProductPhoto, alt: str | None) -> str:
    if alt is not None:
        return alt
    if photo.alt_text:
        return photo.alt_text
    # The listing's title is a better description than nothing, when it is loaded already.
    if ProductPhoto.product.is_cached(photo):
        return str(photo.product.title)
    return ""


@register.simple_tag
def photo_img(
    photo: ProductPhoto | None,
    sizes: str = "100vw",
    alt: str | None = None,
    loading: str = "lazy",
    **attributes: Any,
) -> SafeString:
    """Render ``photo`` (nothing for ``None``).

    Extra ``class``, ``id``, ``fetchpriority`` (for the first photo of a page, with
    ``loading="eager"``), ``itemprop`` and ``data-*`` go on ``<img>``.
    """
    if photo is None:
        return SafeString("")
    loading = loading if loading in ("lazy", "eager") else "lazy"
    color = photo.placeholder_color if _HEX.match(photo.placeholder_color or "") else "#dddddd"
    preview = photo.placeholder_uri if photo.placeholder_uri.startswith("data:image/") else ""
    style = f"max-width:100%;height:auto;background:{color}"
    if preview and photo.is_opaque:
        # Opaque photos only: behind a transparent PNG the preview would show through.
        style += f" url({preview}) center/cover no-repeat"
    extra = format_html_join(
        "",
        ' {}="{}"',
        ((name, value) for name, value in attributes.items() if _ATTRIBUTE.match(name)),
    )
    webp = photo.renditions("webp")
    if not webp:
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async" '
            'style="{}"{}>',
            preview or "data:,",
            photo.width,
            photo.height,
            _alt(photo, alt),
            loading,
            style,
            extra,
        )
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        (
            (_MIME[fmt], photo.srcset(fmt), sizes)
            for fmt in ("avif", "webp")
            if photo.renditions(fmt)
        ),
    )
    fallback = photo.rendition_for(CARD_WIDTH) or webp[-1]
    return format_html(
        '<picture>{}<img src="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async" '
        'style="{}"{}></picture>',
        sources,
        default_storage.url(fallback["name"]),
        photo.width,
        photo.height,
        _alt(photo, alt),
        loading,
        style,
        extra,
    )
