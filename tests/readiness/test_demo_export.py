"""The demo's export data (issue 7, "Demo data"): what a German buyer and a seller see after
``load_demo``. Loads the first 18 demo shops (up to Anyaman Bambu Gintangan) once."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from marketplace.catalog.models import Product
from marketplace.catalog.selectors import products_for_market
from marketplace.core.demo.export import load_export_data
from marketplace.documents.models import ExportDocument
from marketplace.photos.models import ProductPhoto
from marketplace.plots.models import ProductionPlot
from marketplace.readiness.models import ExportProfile, ReadinessResult

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True


def _result(shop: str, title: str, country: str) -> ReadinessResult:
    product = Product.objects.get(shop__name=shop, title_ind=title)
    return ReadinessResult.objects.get(product=product, country=country)


def _blocking(result: ReadinessResult) -> set[str]:
    return {f["code"] for f in result.findings if f["blocking"]}


def _counts() -> dict[str, int]:
    return {
        "plots": ProductionPlot.objects.count(),
        "documents": ExportDocument.objects.count(),
        "photos": ProductPhoto.objects.count(),
        "profiles": ExportProfile.objects.count(),
        "results": ReadinessResult.objects.count(),
    }


def test_demo_export_data_matches_issue_7() -> None:
    call_command("load_demo", "--shops", "18", stdout=StringIO())

    for country in ("DE", "NL"):
        kemiren = _result("Kopi Osing Kemiren", "Kopi lanang (peaberry) Osing", country)
        assert kemiren.ready, kemiren.findings
    plots = ProductionPlot.objects.filter(shop__name="Kopi Osing Kemiren")
    assert {p.geometry["type"] for p in plots} == {"Polygon", "Point"}
    assert all(p.area_ha >= 4 for p in plots if p.geometry["type"] == "Polygon")
    assert all(p.area_ha < 4 for p in plots if p.geometry["type"] == "Point")
    assert ExportDocument.objects.filter(
        shop__name="Kopi Osing Kemiren", kind="lab_report"
    ).exists()

    cocoa = _result("Kakao Tulungrejo", "Nib kakao fermentasi Glenmore", "DE")
    assert not cocoa.ready
    assert _blocking(cocoa) == {"eudr.plots.missing"}

    batik = _result("Batik Gajah Oling Temenggungan", "Kain batik tulis Gajah Oling", "DE")
    assert not batik.ready
    assert _blocking(batik) == {"gpsr.responsible_person.missing", "gpsr.warnings.missing"}

    basket = Product.objects.get(
        shop__name="Anyaman Bambu Gintangan", title_ind="Keranjang anyaman bambu Gintangan"
    )
    assert basket.hs_code == "460211"
    assert basket.photos.count() >= 3
    assert ReadinessResult.objects.get(product=basket, country="DE").ready

    eu = products_for_market("EU")
    assert eu.filter(shop__name="Kopi Osing Kemiren").exists()
    assert eu.filter(pk=basket.pk).exists()
    assert not eu.filter(shop__name="Kakao Tulungrejo", title_ind__startswith="Nib kakao").exists()
    assert eu.count() >= 20

    before = _counts()
    load_export_data(lambda _line: None)
    assert _counts() == before
