"""The seller's plot pages: add by point or by typed corners, import, link, remove, download."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace.accounts.models import User
from marketplace.catalog.models import ProductVariant
from marketplace.plots import services
from marketplace.plots.models import ProductionPlot
from sellers.models import Shop

from .conftest import KEMIREN, area_of, signed_in, square

LAT, LON = KEMIREN
pytestmark = pytest.mark.django_db


def url(shop: Shop, rest: str = "") -> str:
    return f"/penjual/{shop.slug}/kebun/{rest}"


def test_add_a_point_plot(seller: User, shop: Shop) -> None:
    client = signed_in(seller)
    assert client.get(url(shop, "baru/")).status_code == 200
    response = client.post(
        url(shop, "baru/"),
        {
            "name": "Kebun Pak Slamet",
            "area_ha": "1,5",
            "kind": "point",
            "latitude": "-8.218354",
            "longitude": "114.336071",
        },
    )
    plot = ProductionPlot.objects.get()
    assert response.status_code == 302 and response["Location"] == url(shop, f"{plot.pk}/")
    assert plot.geometry == {"type": "Point", "coordinates": [114.336071, -8.218354]}


def test_a_refused_plot_shows_the_reason_next_to_the_field(seller: User, shop: Shop) -> None:
    response = signed_in(seller).post(
        url(shop, "baru/"),
        {
            "name": "Kebun besar",
            "area_ha": "6",
            "kind": "point",
            "latitude": "-8.218354",
            "longitude": "114.336071",
        },
    )
    assert response.status_code == 200
    assert "needs its boundary" in response.content.decode()
    assert not ProductionPlot.objects.exists()


def test_add_a_polygon_from_typed_corners_and_see_its_outline(seller: User, shop: Shop) -> None:
    corners = (
        "-8.218354, 114.336071\n-8.218354, 114.338271\n-8.216154, 114.338271\n-8.216154, 114.336071"
    )
    area = area_of(square(LAT, LON, 0.0022))
    client = signed_in(seller)
    response = client.post(
        url(shop, "baru/"),
        {"name": "Kebun Lereng", "area_ha": str(area), "kind": "polygon", "polygon": corners},
    )
    assert response.status_code == 302
    plot = ProductionPlot.objects.get()
    assert plot.geometry["type"] == "Polygon" and len(plot.geometry["coordinates"][0]) == 5
    page = client.get(url(shop, f"{plot.pk}/")).content.decode()
    assert "<polygon points=" in page
    assert "-8.218354, 114.336071" in page  # the corners come back as typed, latitude first


def test_list_link_and_download(
    seller: User,
    shop: Shop,
    variant_factory: Callable[..., ProductVariant],
    plot_factory: Callable[..., ProductionPlot],
    django_assert_max_num_queries: Any,
) -> None:
    product = variant_factory().product
    plot = plot_factory(name="Kebun A")
    client = signed_in(seller)
    response = client.post(url(shop, f"{plot.pk}/produk/"), {"products": [product.pk]})
    assert response.status_code == 302
    assert list(plot.links.values_list("product_id", flat=True)) == [product.pk]

    page = client.get(url(shop)).content.decode()
    assert "Kebun A" in page and product.title in page
    geojson = client.get(f"/penjual/{shop.slug}/produk/{product.pk}/eudr.geojson")
    assert geojson["Content-Type"] == "application/geo+json"
    assert json.loads(geojson.content)["features"][0]["properties"]["ProducerCountry"] == "ID"
    pdf = client.get(f"/penjual/{shop.slug}/produk/{product.pk}/eudr.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    with CaptureQueriesContext(connection) as one:
        client.get(url(shop))
    for n in range(8):
        services.link_plot(seller, plot_factory(name=f"Kebun {n}"), product)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url(shop)).content.decode()
    assert page.count('class="plot"') == 9


def test_import_and_remove(seller: User, shop: Shop) -> None:
    client = signed_in(seller)
    body = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "Kebun Impor", "area_ha": 1},
                    "geometry": {"type": "Point", "coordinates": [114.3360711, -8.2183541]},
                }
            ],
        }
    )
    upload = SimpleUploadedFile("kebun.geojson", body.encode(), "application/geo+json")
    assert client.post(url(shop, "impor/"), {"file": upload}).status_code == 302
    plot = ProductionPlot.objects.get(name="Kebun Impor")

    bad = SimpleUploadedFile("x.geojson", b"{}", "application/geo+json")
    response = client.post(url(shop, "impor/"), {"file": bad})
    assert response.status_code == 200 and "not GeoJSON" in response.content.decode()

    assert client.post(url(shop, f"{plot.pk}/hapus/")).status_code == 302
    plot.refresh_from_db()
    assert plot.deleted_at is not None
    assert client.get(url(shop, f"{plot.pk}/")).status_code == 404


def test_another_shop_cannot_see_or_edit_plots(
    user_factory: Callable[..., User],
    shop_factory: Callable[..., Shop],
    shop: Shop,
    plot_factory: Callable[..., ProductionPlot],
) -> None:
    plot = plot_factory(name="Kebun Rahasia")
    other = user_factory(email="other@example.id", phone="+6281299999999")
    other_shop = shop_factory(owner=other)
    client = signed_in(other)
    for path in ("", "baru/", f"{plot.pk}/", f"{plot.pk}/hapus/"):
        assert client.get(url(shop, path)).status_code == 403
    assert client.post(url(shop, f"{plot.pk}/hapus/")).status_code == 403
    # Through their own shop's URL the plot does not exist.
    assert client.get(url(other_shop, f"{plot.pk}/")).status_code == 404
    assert "Kebun Rahasia" not in client.get(url(other_shop)).content.decode()
    plot.refresh_from_db()
    assert plot.deleted_at is None
    anonymous = Client()
    assert anonymous.get(url(shop)).status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "K", "area_ha": "1", "kind": "point", "latitude": "abc", "longitude": ""},
        {"name": "K", "area_ha": "1", "kind": "polygon", "polygon": ""},
        {"name": "K", "area_ha": "1", "kind": "polygon", "polygon": "-8.2, 114.3\nhalo"},
        {"name": "K", "area_ha": "1", "kind": "polygon", "polygon": '{"type": "Polygon"'},
        {"name": "K", "area_ha": "1e400", "kind": "point", "latitude": "1", "longitude": "2"},
        {"name": "K", "area_ha": "NaN", "kind": "polygon", "polygon": "[[[[[[[]]]]]]]"},
        {"name": "K", "area_ha": "1", "kind": "square"},
    ],
)
def test_bad_input_is_answered_on_the_page(seller: User, shop: Shop, data: dict[str, str]) -> None:
    response = signed_in(seller).post(url(shop, "baru/"), data)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not ProductionPlot.objects.exists()
