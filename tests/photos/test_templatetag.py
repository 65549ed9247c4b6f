"""``{% photo_img %}``: a <picture> with AVIF and WebP srcsets, lazy, sized, described."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.template import Context, Template

from marketplace.catalog.models import Product, ProductStatus
from marketplace.photos import selectors
from marketplace.photos.models import ProductPhoto

from .conftest import encode, textured

pytestmark = pytest.mark.django_db

Add = Callable[..., ProductPhoto]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def render(source: str, **context: Any) -> str:
    return Template("{% load photos %}" + source).render(Context(context))


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_renders_a_picture_with_avif_and_webp_srcsets_lazy_and_alt(add: Add) -> None:
    photo = add(encode(textured(1200, 900), "JPEG"), alt_text='Kopi "Osing" & gula aren')
    html = render(
        '{% photo_img photo sizes="(max-width: 600px) 100vw, 33vw" class="card-img" %}',
        photo=photo,
    )
    tags = parse(html)
    assert [t for t, _ in tags] == ["picture", "source", "source", "img"]
    (_, avif), (_, webp), (_, img) = tags[1:]
    assert avif["type"] == "image/avif" and webp["type"] == "image/webp"
    for source in (avif, webp):
        assert source["sizes"] == "(max-width: 600px) 100vw, 33vw"
        widths = re.findall(r" (\d+)w", source["srcset"] or "")
        assert widths == ["160", "320", "480", "720", "1080"]
        assert "/media/photos/" in (source["srcset"] or "")
    assert img["src"] == "/media/" + photo.renditions("webp")[2]["name"]  # the 480 px card
    assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert img["alt"] == 'Kopi "Osing" & gula aren'
    assert (img["width"], img["height"]) == ("1200", "900")
    assert img["class"] == "card-img"
    assert f"background:{photo.placeholder_color} url(data:image/webp;base64," in (
        img["style"] or ""
    )
    assert photo.master not in html  # pages never link the master


def test_before_the_derivatives_exist_the_placeholder_is_shown(
    owner: Any, product: Product, no_commit_callbacks: None
) -> None:
    from marketplace.photos import services

    from .conftest import upload

    photo = services.add_photo(owner, product, upload(encode(textured(400, 300), "JPEG")), "Batik")
    tags = parse(render("{% photo_img photo %}", photo=photo))
    assert [t for t, _ in tags] == ["img"]
    img = tags[0][1]
    assert (img["src"] or "").startswith("data:image/webp;base64,")
    assert img["alt"] == "Batik" and img["loading"] == "lazy"
    assert (img["width"], img["height"]) == ("400", "300")
    assert photo.placeholder_color in (img["style"] or "")


def test_alt_falls_back_to_the_listing_title_only_when_it_is_loaded(
    add: Add, product: Product, django_assert_num_queries: Any
) -> None:
    add(encode(textured(200, 150), "JPEG"))
    photo = ProductPhoto.objects.get()
    with django_assert_num_queries(0):
        assert parse(render("{% photo_img photo %}", photo=photo))[-1][1]["alt"] == ""
    photo = ProductPhoto.objects.select_related("product").get()
    assert parse(render("{% photo_img photo %}", photo=photo))[-1][1]["alt"] == product.title


def test_no_photo_renders_nothing_and_unknown_attributes_are_dropped(add: Add) -> None:
    assert render("{% photo_img None %}") == ""
    photo = add(encode(textured(200, 150), "JPEG"))
    html = render(
        '{% photo_img photo loading="eager" fetchpriority="high" onerror="x()" %}', photo=photo
    )
    img = parse(html)[-1][1]
    assert img["loading"] == "eager" and img["fetchpriority"] == "high"
    assert "onerror" not in img


@pytest.mark.parametrize("count", [3, 12])
def test_a_grid_of_cards_costs_one_query_whatever_its_size(
    count: int,
    add: Add,
    product_factory: Callable[..., Product],
    django_assert_num_queries: Any,
) -> None:
    products = [
        product_factory(title=f"Produk {i}", status=ProductStatus.PUBLISHED) for i in range(count)
    ]
    for i, item in enumerate(products):
        for j in range(2):
            add(encode(textured(60, 40, seed=i * 10 + j), "PNG"), alt_text=f"{i}-{j}", to=item)
    ids = [p.pk for p in products]
    with django_assert_num_queries(1):
        covers = selectors.cover_photos(ids)
        html = render(
            "{% for photo in photos %}{% photo_img photo sizes='50vw' %}{% endfor %}",
            photos=[covers[i] for i in ids],
        )
    assert html.count("<picture>") == count
    assert [covers[i].alt_text for i in ids] == [f"{i}-0" for i in range(count)]


def test_a_listing_page_renders_all_its_photos_in_one_query(
    add: Add, product: Product, django_assert_num_queries: Any
) -> None:
    for i in range(4):
        add(encode(textured(60, 40, seed=i), "PNG"), alt_text=f"foto {i}")
    with django_assert_num_queries(2):
        item = Product.objects.prefetch_related(selectors.photos_prefetch()).get(pk=product.pk)
        html = render(
            "{% for photo in item.photos.all %}{% photo_img photo %}{% endfor %}", item=item
        )
    assert re.findall(r'alt="([^"]*)"', html) == ["foto 0", "foto 1", "foto 2", "foto 3"]
