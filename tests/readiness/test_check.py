"""The readiness rules, one case per missing or wrong item, each naming its exact finding code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from djmoney.money import Money

from marketplace.catalog.models import Category, Product, ProhibitedTerm
from marketplace.documents.models import ExportDocument
from marketplace.photos.models import ProductPhoto
from marketplace.plots.models import ProductionPlot, ProductPlot
from marketplace.readiness import services
from marketplace.readiness.models import EuResponsiblePerson, ExportProfile, ReadinessRule

from .conftest import KEMIREN, TODAY, add_document, add_plot, square

pytestmark = pytest.mark.django_db


def codes(product: Product, country: str) -> list[str]:
    return [f.code for f in services.check(product, country, on=TODAY).findings]


def _profile(product: Product, **fields: Any) -> None:
    ExportProfile.objects.filter(product=product).update(**fields)


def _variant(product: Product, **fields: Any) -> None:
    product.variants.update(**fields)


def _product(product: Product, **fields: Any) -> None:
    Product.objects.filter(pk=product.pk).update(**fields)


@pytest.mark.parametrize("country", ["DE", "AT", "NL", "BE", "FR", "LU", "IT", "PL"])
def test_complete_listings_are_ready_everywhere(
    coffee: Product, batik: Product, country: str
) -> None:
    for product in (coffee, batik):
        result = services.check(product, country, on=TODAY)
        assert result.ready, [f.code for f in result.findings]
        assert result.progress == 100
        assert [f.code for f in result.findings if f.blocking] == []


# (case, what breaks, destination, expected finding code)
COFFEE_CASES: list[tuple[str, Callable[[Product], None], str, str]] = [
    ("no HS code", lambda p: _product(p, hs_code=""), "DE", "hs_code.missing"),
    ("HS code not in the table", lambda p: _product(p, hs_code="090199"), "DE", "hs_code.unknown"),
    ("HS code of another heading", lambda p: _product(p, hs_code="180100"), "DE",
     "hs_code.category_mismatch"),
    ("variant without weight", lambda p: _variant(p, weight_grams=None), "DE",
     "variant.weight.missing"),
    ("variant without height", lambda p: _variant(p, height_mm=None), "DE",
     "variant.dimensions.missing"),
    ("no EUR price", lambda p: _variant(p, export_price=None), "DE", "variant.eur_price.missing"),
    ("no English title", lambda p: _product(p, title_en=""), "IT", "text.title.missing"),
    ("no German description", lambda p: _product(p, description_de=""), "AT",
     "text.description.missing"),
    ("German title copied from Indonesian", lambda p: _product(p, title_de=p.title_ind), "DE",
     "text.title.untranslated"),
    ("no French title for France", lambda p: _product(p, title_fr=""), "FR", "text.title.missing"),
    ("two photos", lambda p: ProductPhoto.objects.filter(product=p).first().delete(), "DE",  # type: ignore[union-attr]
     "photos.too_few"),
    ("prohibited word", lambda p: ProhibitedTerm.objects.create(term="osing", reason="test"), "DE",
     "prohibited"),
    ("animal origin", lambda p: _profile(p, animal_origin=True), "DE", "food.animal_origin"),
    ("no Dutch ingredients", lambda p: _profile(p, ingredients={"en": "robusta", "de": "Robusta"}),
     "NL", "food.ingredients.missing"),
    ("allergens not marked", lambda p: _profile(p, allergens_declared=False), "DE",
     "food.allergens.missing"),
    ("no net quantity", lambda p: _profile(p, net_quantity=""), "DE", "food.net_quantity.missing"),
    ("no shelf life", lambda p: _profile(p, shelf_life_days=None), "DE",
     "food.shelf_life.missing"),
    ("nutrition without salt", lambda p: _profile(p, nutrition={"energy_kj": "10"}), "DE",
     "food.nutrition.missing"),
    ("no food business", lambda p: _profile(p, food_business_address=""), "DE",
     "food.business.missing"),
    ("no P-IRT nor BPOM", lambda p: _profile(p, pirt_number="", bpom_number=""), "DE",
     "food.registration.missing"),
    ("no halal certificate", lambda p: ExportDocument.objects.filter(kind="halal").delete(), "DE",
     "food.halal.missing"),
    ("no lab report", lambda p: ExportDocument.objects.filter(kind="lab_report").delete(), "DE",
     "food.lab_report.missing"),
    ("expired lab report", lambda p: ExportDocument.objects.filter(kind="lab_report").update(
        issued_on=dt.date(2025, 6, 1), valid_until=dt.date(2026, 6, 1)), "DE",
     "food.lab_report.expired"),
    ("lab report older than 12 months", lambda p: ExportDocument.objects.filter(
        kind="lab_report").update(issued_on=dt.date(2025, 9, 1), valid_until=None), "DE",
     "food.lab_report.expired"),
    ("no plots", lambda p: ProductPlot.objects.all().delete(), "DE", "eudr.plots.missing"),
    ("no harvest period", lambda p: (_profile(p, harvest_start=None),
                                     ProductionPlot.objects.update(harvest_start=None)), "DE",
     "eudr.harvest.missing"),
    ("harvest before the cut-off", lambda p: _profile(p, harvest_start=dt.date(2020, 5, 1)), "DE",
     "eudr.harvest.before_cutoff"),
    ("no deforestation declaration", lambda p: _profile(p, deforestation_free_declared=False),
     "DE", "eudr.declaration.missing"),
    ("no deforestation evidence", lambda p: ExportDocument.objects.filter(
        kind="deforestation_evidence").delete(), "DE", "eudr.evidence.missing"),
    ("point for a 6 ha plot", lambda p: ProductionPlot.objects.update(area_ha="6"), "DE",
     "eudr.plot.geometry.point_over_4ha"),
    ("self-intersecting polygon", lambda p: add_plot(p, area_ha="5", geometry={
        "type": "Polygon", "coordinates": [[[114.31, -8.20], [114.312, -8.202], [114.312, -8.20],
                                            [114.31, -8.202], [114.31, -8.20]]]}), "DE",
     "eudr.plot.geometry.self_intersecting"),
    ("plot outside Indonesia", lambda p: add_plot(p, area_ha="1", geometry={
        "type": "Point", "coordinates": [10.123456, 50.123456]}), "DE",
     "eudr.plot.geometry.outside_indonesia"),
    ("polygon area far from the declared one", lambda p: add_plot(
        p, area_ha="12", geometry=square(KEMIREN[0], KEMIREN[1], 0.002)), "DE",
     "eudr.plot.area.mismatch"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("breaks", "country", "code"),
    [pytest.param(*case[1:], id=case[0]) for case in COFFEE_CASES],
)
def test_each_missing_item_of_coffee_blocks_with_its_code(
    coffee: Product, breaks: Callable[[Product], None], country: str, code: str
) -> None:
    breaks(coffee)
    result = services.check(coffee, country, on=TODAY)
    assert code in [f.code for f in result.findings]
    assert not result.ready
    assert result.progress < 100
    finding = next(f for f in result.findings if f.code == code)
    assert finding.blocking
    assert finding.message and finding.message != code


BATIK_CASES: list[tuple[str, Callable[[Product], None], str, str]] = [
    ("no manufacturer", lambda p: _profile(p, manufacturer_name=""), "DE",
     "gpsr.manufacturer_name.missing"),
    ("no manufacturer address", lambda p: _profile(p, manufacturer_address=""), "DE",
     "gpsr.manufacturer_address.missing"),
    ("no manufacturer e-mail", lambda p: _profile(p, manufacturer_email=""), "DE",
     "gpsr.manufacturer_email.missing"),
    ("no EU responsible person", lambda p: EuResponsiblePerson.objects.all().delete(), "DE",
     "gpsr.responsible_person.missing"),
    ("no product identifier", lambda p: _profile(p, product_identifier=""), "DE",
     "gpsr.product_identifier.missing"),
    ("no German warnings", lambda p: _profile(p, safety_warnings={"en": "Wash separately."}), "DE",
     "gpsr.warnings.missing"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("breaks", "country", "code"),
    [pytest.param(*case[1:], id=case[0]) for case in BATIK_CASES],
)
def test_each_missing_gpsr_item_of_batik_blocks_with_its_code(
    batik: Product, breaks: Callable[[Product], None], country: str, code: str
) -> None:
    breaks(batik)
    result = services.check(batik, country, on=TODAY)
    assert code in [f.code for f in result.findings]
    assert not result.ready


def test_plot_findings_name_the_plot(coffee: Product) -> None:
    plot = add_plot(coffee, area_ha="6", geometry={"type": "Point", "coordinates": KEMIREN})
    finding = next(f for f in services.check(coffee, "DE", on=TODAY).findings if "plot." in f.code)
    assert finding.field == f"plot:{plot.pk}"
    assert finding.code == "eudr.plot.geometry.point_over_4ha"
    assert "polygon" in finding.message


def test_belgium_accepts_dutch_or_french(coffee: Product) -> None:
    _product(coffee, title_fr="", description_fr="")
    assert "text.title.missing" not in codes(coffee, "BE")
    assert "text.title.missing" in codes(coffee, "FR")


def test_english_is_enough_outside_the_language_table(coffee: Product) -> None:
    _product(coffee, title_de="", description_de="", title_nl="", title_fr="")
    assert services.check(coffee, "IT", on=TODAY).ready
    assert not services.check(coffee, "DE", on=TODAY).ready


def test_own_eu_responsible_person_replaces_the_marketplace_partner(batik: Product) -> None:
    EuResponsiblePerson.objects.all().delete()
    _profile(
        batik,
        own_responsible_name="Toko Batik Berlin",
        own_responsible_address="Oranienstr. 1, 10999 Berlin",
        own_responsible_email="info@batik.berlin",
    )
    assert services.check(batik, "DE", on=TODAY).ready


def test_missing_dds_reference_warns_but_does_not_block(coffee: Product) -> None:
    _profile(coffee, dds_reference="")
    result = services.check(coffee, "DE", on=TODAY)
    assert result.ready
    assert [(f.code, f.blocking) for f in result.findings] == [("eudr.dds.missing", False)]
    assert 0 < result.progress < 100


def test_food_contact_bamboo_gets_a_warning(shop: Any, batik: Product) -> None:
    _product(batik, category=Category.objects.get(slug="kerajinan-bambu"), hs_code="460211")
    _profile(batik, food_contact=True)
    result = services.check(batik, "DE", on=TODAY)
    assert result.ready
    assert ("gpsr.food_contact", False) in [(f.code, f.blocking) for f in result.findings]


def test_domestic_check_asks_only_indonesian_food_rules(coffee: Product) -> None:
    _product(coffee, title_en="", hs_code="")
    _variant(coffee, export_price=None)
    _profile(coffee, animal_origin=True)
    assert services.check(coffee, "ID", on=TODAY).ready
    ExportDocument.objects.filter(kind="halal").delete()
    _profile(coffee, pirt_number="")
    assert codes(coffee, "ID") == ["food.registration.missing", "food.halal.missing"]


def test_a_bpom_number_or_document_replaces_pirt(coffee: Product) -> None:
    _profile(coffee, pirt_number="", bpom_number="MD 123456789012")
    assert "food.registration.missing" not in codes(coffee, "ID")
    _profile(coffee, bpom_number="")
    add_document(coffee, "pirt", issued_on=dt.date(2024, 1, 1), valid_until=None, own=True)
    assert "food.registration.missing" not in codes(coffee, "ID")


def test_thresholds_are_data(batik: Product) -> None:
    ReadinessRule.objects.update_or_create(key="photos.min", defaults={"value": 4, "source": "t"})
    result = services.check(batik, "DE", on=TODAY)
    assert [f.code for f in result.findings] == ["photos.too_few"]
    assert "at least 4 photos (now 3)" in result.findings[0].message


def test_several_variants_are_each_checked(batik: Product) -> None:
    batik.variants.create(sku="BAT-L", price=Money(150000, "IDR"), weight_grams=400)
    findings = services.check(batik, "DE", on=TODAY).findings
    assert {f.code for f in findings} == {"variant.dimensions.missing", "variant.eur_price.missing"}
    assert {f.field for f in findings} == {f"variant:{batik.variants.get(sku='BAT-L').pk}"}


def test_an_unknown_destination_is_refused(batik: Product) -> None:
    with pytest.raises(ValueError):
        services.check(batik, "US")
