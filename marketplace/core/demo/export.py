"""Export data for the demo's EU listings (issue 7), written through the real services.

A German buyer of the demo should see a catalog, and a seller should see what "not ready" looks
like. So, as the sellers would through their dashboard:

- every coffee of Kopi Osing Kemiren and Kopi Lereng Ijen gets its plots (polygons for the
  gardens of 4 ha or more, points for the smaller ones; WGS84 with 6 decimals, around Kemiren and
  Licin), a lab report, a halal certificate and the deforestation evidence (shop-wide), a food
  label in English, German, Dutch and French, HS code 090121 and texts in German and Dutch: ready
  for DE and NL;
- the cocoa nibs of Kakao Tulungrejo (Glenmore) get everything except their plots: not ready
  (``eudr.plots.missing``);
- the batik cloths of Batik Gajah Oling Temenggungan get GPSR data without an EU responsible
  person and without German warnings: not ready;
- the bamboo goods of Anyaman Bambu Gintangan and Bambu Rogojampi (HS 460211) and the batik
  cloths of Batik Sembulung (HS 520852) get full GPSR data with the marketplace's EU partner,
  warnings in de/nl/fr/en and three photos: ready;
- wooden goods (EUDR wood, no plots) and the other shops stay as they are: not ready.

Safe to run again: what exists is left alone (no second plot, document, photo or audit entry).
Readiness is then recomputed for the demo listings (``readiness.services.recompute``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.documents.models import ExportDocument
from marketplace.documents.services import upload_document
from marketplace.photos.services import add_photo
from marketplace.plots.models import ProductionPlot
from marketplace.plots.services import PlotInput, create_plot, link_plot
from marketplace.readiness.models import EuResponsiblePerson, ExportProfile
from marketplace.readiness.services import recompute, save_export_profile
from sellers.models import MemberRole, Shop

from .catalog import SHOPS, DemoShop, Item, listings_for
from .photos import draw_product

#: The marketplace's EU partner (GPSR Art. 16), named explicitly on the ready craft listings.
EU_PARTNER = {
    "name": "Pasar Kampung Europa GmbH",
    "address": "Hafenstraße 12, 20457 Hamburg, Deutschland",
    "email": "gpsr@pasarkampung.eu",
}

EDITIONS = {
    "2026 harvest": ("Ernte 2026", "oogst 2026"),
    "value pack": ("Sparpaket", "voordeelpak"),
    "gift edition": ("Geschenkausgabe", "cadeau-editie"),
    "classic pattern": ("klassisches Muster", "klassiek motief"),
    "modern pattern": ("modernes Muster", "modern motief"),
}

ROASTS = {
    "light": ("helle", "lichte"),
    "medium": ("mittlere", "medium"),
    "dark": ("dunkle", "donkere"),
}

#: item key -> (German title, German description, Dutch title, Dutch description)
TEXTS: dict[str, tuple[str, str, str, str]] = {
    "lanang": (
        "Osing-Perlbohnenkaffee (Kopi Lanang)",
        "Einzelne runde Bohnen, von den Frauen in Kemiren von Hand verlesen. Noten von "
        "Schokolade und Gewürzen.",
        "Osing-parelboonkoffie (kopi lanang)",
        "Losse ronde bonen, met de hand uitgezocht door de vrouwen van Kemiren. Tonen van "
        "chocolade en specerijen.",
    ),
    "cocoa-nibs": (
        "Fermentierte Kakaonibs aus Glenmore",
        "Fünf Tage fermentierte, sonnengetrocknete, geröstete und gebrochene Kakaobohnen.",
        "Gefermenteerde cacaonibs uit Glenmore",
        "Vijf dagen gefermenteerde, in de zon gedroogde, geroosterde en gebroken cacaobonen.",
    ),
    "batik-cloth": (
        "Handgezeichneter Gajah-Oling-Batikstoff",
        "Handgezeichnete Batik mit dem Gajah-Oling-Motiv in Naturfarben, zwei Wochen Arbeit.",
        "Handgetekende Gajah Oling-batikstof",
        "Handgetekende batik met het Gajah Oling-motief in natuurlijke kleuren, twee weken werk.",
    ),
    "bamboo-basket": (
        "Geflochtener Bambuskorb aus Gintangan",
        "Feines Bambusgeflecht aus Gintangan, stabil genug für Obst und Brot.",
        "Gevlochten bamboemand uit Gintangan",
        "Fijn bamboevlechtwerk uit Gintangan, stevig genoeg voor fruit en brood.",
    ),
    "bamboo-lamp": (
        "Lampenschirm aus Bambus",
        "Geflochtener Lampenschirm aus Bambus mit einem warmen Lichtmuster.",
        "Lampenkap van bamboe",
        "Gevlochten bamboe lampenkap die een warm lichtpatroon werpt.",
    ),
    "bamboo-straws": (
        "Bambus-Trinkhalme, 10 Stück",
        "Natürliche Trinkhalme aus Bambus mit Reinigungsbürste, statt Plastik.",
        "Bamboe rietjes, set van 10",
        "Natuurlijke bamboe rietjes met schoonmaakborstel, in plaats van plastic.",
    ),
}


def _coffee_texts(item: Item) -> tuple[str, str, str, str]:
    bean, _sep, roast = item.title_en.partition(" coffee, ")
    roast = roast.removesuffix(" roast")
    de_roast, nl_roast = ROASTS.get(roast, ("", ""))
    return (
        item.title_de,
        f"Rot gepflückte {bean}-Bohnen von den Hängen des Ijen, auf Bambusgestellen getrocknet "
        f"und in kleinen Chargen {de_roast} geröstet.",
        f"{bean}koffie, {nl_roast} branding",
        f"Rood geplukte {bean.lower()}bonen van de hellingen van de Ijen, gedroogd op bamboe "
        f"rekken en in kleine partijen {nl_roast} gebrand.",
    )


WARNINGS_NO_DE = {
    "en": "Not a toy. Keep away from open flames. Natural dyes may bleed: wash separately.",
    "nl": "Geen speelgoed. Uit de buurt van open vuur houden. Natuurlijke kleurstoffen kunnen "
    "afgeven: apart wassen.",
    "fr": "Ceci n'est pas un jouet. Tenir éloigné des flammes. Les teintures naturelles peuvent "
    "déteindre : laver séparément.",
}
WARNINGS = {
    **WARNINGS_NO_DE,
    "de": "Kein Spielzeug. Von offenem Feuer fernhalten. Naturfarben können abfärben: getrennt "
    "waschen.",
}
BAMBOO_WARNINGS = {
    "en": "Not a toy. Keep away from open flames. Keep dry; wipe clean with a damp cloth.",
    "de": "Kein Spielzeug. Von offenem Feuer fernhalten. Trocken lagern; feucht abwischen.",
    "nl": "Geen speelgoed. Uit de buurt van open vuur houden. Droog bewaren; vochtig afnemen.",
    "fr": "Ceci n'est pas un jouet. Tenir éloigné des flammes. Garder au sec ; nettoyer avec un "
    "chiffon humide.",
}

NUTRITION = {
    "coffee": {
        "energy_kj": "8",
        "fat_g": "0",
        "saturates_g": "0",
        "carbohydrate_g": "0",
        "sugars_g": "0",
        "protein_g": "0.1",
        "salt_g": "0",
    },
    "cocoa": {
        "energy_kj": "2390",
        "fat_g": "52",
        "saturates_g": "31",
        "carbohydrate_g": "13",
        "sugars_g": "0.5",
        "protein_g": "14",
        "salt_g": "0.02",
    },
}
INGREDIENTS = {
    "coffee": {
        "en": "Roasted coffee beans (100 %).",
        "de": "Geröstete Kaffeebohnen (100 %).",
        "nl": "Gebrande koffiebonen (100 %).",
        "fr": "Grains de café torréfiés (100 %).",
    },
    "cocoa": {
        "en": "Roasted cocoa nibs (100 %).",
        "de": "Geröstete Kakaonibs (100 %).",
        "nl": "Geroosterde cacaonibs (100 %).",
        "fr": "Éclats de fèves de cacao torréfiées (100 %).",
    },
}

#: Shop -> (plots as (name, farmer, area in ha, (lat, lon), polygon?)) for the coffee shops.
#: A polygon's corners are the corner plus ``_SIDE`` degrees: about 222 m x 224 m, 4.97 ha.
COFFEE_PLOTS: dict[str, list[tuple[str, str, str, tuple[float, float], bool]]] = {
    "Kopi Osing Kemiren": [
        ("Kebun Pak Slamet", "Slamet", "4.97", (-8.214530, 114.318270), True),
        ("Kebun Bu Sumiati", "Sumiati", "1.25", (-8.209144, 114.322915), False),
        ("Kebun Pak Rahmat", "Rahmat", "2.40", (-8.217702, 114.311408), False),
    ],
    "Kopi Lereng Ijen": [
        ("Kebun Licin Atas", "Hasan", "4.97", (-8.152110, 114.250640), True),
        ("Kebun Pak Yusuf", "Yusuf", "0.80", (-8.158337, 114.244195), False),
    ],
}
_SIDE = (0.002010, 0.002030)  # (latitude, longitude) degrees


def _geometry(corner: tuple[float, float], polygon: bool) -> str:
    """GeoJSON text ([lon, lat], 6 decimals as written, as a seller's GPS app gives them)."""
    lat, lon = corner
    if not polygon:
        return f'{{"type": "Point", "coordinates": [{lon:.6f}, {lat:.6f}]}}'
    dlat, dlon = _SIDE
    ring = [(lon, lat), (lon + dlon, lat), (lon + dlon, lat + dlat), (lon, lat + dlat), (lon, lat)]
    text = ", ".join(f"[{x:.6f}, {y:.6f}]" for x, y in ring)
    return f'{{"type": "Polygon", "coordinates": [[{text}]]}}'


def minimal_pdf(lines: list[str]) -> bytes:
    """A small valid one-page PDF with ``lines`` of text (Helvetica), xref offsets computed."""
    escaped = [
        line.replace("\\", "\\\\")
        .replace("(", "\\(")
        .replace(")", "\\)")
        .encode("latin-1", "replace")
        for line in lines
    ]
    stream = (
        b"BT /F1 12 Tf 56 780 Td 16 TL " + b" ".join(b"(" + t + b") '" for t in escaped) + b" ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _owner(shop: Shop) -> Any:
    return shop.memberships.select_related("user").get(role=MemberRole.OWNER).user


def _shop(spec: DemoShop) -> Shop | None:
    return Shop.objects.filter(name=spec.name, village__code=spec.village_code).first()


def _listings(spec: DemoShop, shop: Shop, keys: tuple[str, ...]) -> list[tuple[str, Item, Product]]:
    """The shop's demo listings of these item keys, with their item (as ``load`` created them)."""
    found: list[tuple[str, Item, Product]] = []
    by_title = {_text(p, "title_ind"): p for p in Product.objects.filter(shop=shop)}
    for key, item, edition_id, _edition_en in listings_for(spec):
        base = key.rsplit("-", 1)[0]
        if base not in keys:
            continue
        title_id = f"{item.title_id} — {edition_id}" if edition_id else item.title_id
        product = by_title.get(title_id)
        if product is not None:
            found.append((base, item, product))
    return found


def _text(product: Product, name: str) -> str:
    """A translated field (modeltranslation adds ``title_ind``, ``title_de``... at run time)."""
    return str(getattr(product, name, "") or "")


def _translate(owner: Any, key: str, item: Item, product: Product) -> None:
    """German and Dutch title and description (once: a listing already translated is kept)."""
    if _text(product, "title_nl"):
        return
    de_title, de_text, nl_title, nl_text = (
        _coffee_texts(item) if item.category == "kopi" and key != "lanang" else TEXTS[key]
    )
    edition = (_text(product, "title_en")).removeprefix(item.title_en).strip(" ()")
    if edition in EDITIONS:
        de_edition, nl_edition = EDITIONS[edition]
        de_title, nl_title = f"{de_title} ({de_edition})", f"{nl_title} ({nl_edition})"
    catalog.update_product(
        owner,
        product,
        catalog.ProductInput(
            category=product.category,
            title={
                "id": _text(product, "title_ind"),
                "en": _text(product, "title_en"),
                "de": de_title,
                "nl": nl_title,
            },
            description={
                "id": _text(product, "description_ind"),
                "en": _text(product, "description_en"),
                "de": f"<p>{de_text}</p>",
                "nl": f"<p>{nl_text}</p>",
            },
        ),
    )


def _hs_code(product: Product, code: str) -> None:
    """The catalog has no service for the HS code yet (the dashboard's readiness page shows the
    finding); set on the model, as the spreadsheet import would, and recomputed below."""
    if product.hs_code != code:
        product.hs_code = code
        product.save(update_fields=["hs_code"])


def _photos(owner: Any, product: Product, category: str, seed: int, minimum: int = 3) -> None:
    for n in range(product.photos.count(), minimum):
        photo = draw_product(category, _text(product, "title_ind"), seed=seed * 10 + n)
        add_photo(
            owner,
            product,
            SimpleUploadedFile(f"demo-{product.pk}-{n}.jpg", photo, "image/jpeg"),
            alt_text=_text(product, "title_ind"),
        )


def _profile(owner: Any, product: Product, data: dict[str, Any]) -> None:
    if not ExportProfile.objects.filter(product=product).exists():
        save_export_profile(owner, product, data)


def _document(
    owner: Any,
    shop: Shop,
    kind: str,
    number: str,
    issuer: str,
    issued_on: dt.date,
    lines: list[str],
    product: Product | None = None,
) -> None:
    if ExportDocument.objects.active().filter(shop=shop, kind=kind, number=number).exists():
        return
    upload_document(
        shop,
        kind=kind,
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        file=BytesIO(minimal_pdf(lines)),
        product=product,
        actor=owner,
    )


def _food_documents(owner: Any, shop: Shop, commodity: str, today: dt.date) -> None:
    name = shop.name
    _document(
        owner,
        shop,
        "lab_report",
        f"LAB/{shop.pk:03d}/2026",
        "Laboratorium Kesehatan Daerah Banyuwangi",
        today - dt.timedelta(days=45),
        [
            f"Laporan hasil uji / Test report - {name}",
            f"Sample: {commodity}",
            "Ochratoxin A: < 1.0 ug/kg (limit 3.0)",
            "Aflatoxin B1: < 0.5 ug/kg; total aflatoxins: < 1.0 ug/kg",
            "Result: complies with Reg. (EU) 2023/915",
        ],
    )
    _document(
        owner,
        shop,
        "halal",
        f"ID35110000{shop.pk:06d}",
        "BPJPH Kementerian Agama RI",
        today - dt.timedelta(days=200),
        [f"Sertifikat halal - {name}", f"Produk: {commodity}"],
    )
    _document(
        owner,
        shop,
        "deforestation_evidence",
        f"PETA/{shop.pk:03d}/2026",
        "Dinas Pertanian Kabupaten Banyuwangi",
        today - dt.timedelta(days=90),
        [
            f"Peta kebun / Plot map - {name}",
            "Sentinel-2 comparison 2020-12 / 2026-06: no forest loss on the listed plots.",
        ],
    )


def _food_profile(shop: Shop, commodity: str, *, dds: str) -> dict[str, Any]:
    return {
        "ingredients": INGREDIENTS[commodity],
        "allergens": [],
        "allergens_declared": True,
        "net_quantity": "250 g",
        "shelf_life_days": 365,
        "nutrition": NUTRITION[commodity],
        "food_business_name": shop.name,
        "food_business_address": f"{shop.village.name}, Kabupaten Banyuwangi, Jawa Timur, "
        "Indonesia",
        "pirt_number": f"2063510{shop.pk:08d}",
        "harvest_start": dt.date(2026, 5, 1),
        "harvest_end": dt.date(2026, 8, 31),
        "deforestation_free_declared": True,
        "dds_reference": dds,
    }


def _coffee_shop(spec: DemoShop, shop: Shop, today: dt.date) -> list[int]:
    owner = _owner(shop)
    plots = []
    for name, farmer, area, corner, polygon in COFFEE_PLOTS[spec.name]:
        plot = ProductionPlot.objects.alive().filter(shop=shop, name=name).first()
        if plot is None:
            plot = create_plot(
                owner,
                shop,
                PlotInput(
                    name=name,
                    farmer_name=farmer,
                    area_ha=Decimal(area),
                    geometry=_geometry(corner, polygon),
                    village=shop.village,
                    harvest_start=dt.date(2026, 5, 1),
                    harvest_end=dt.date(2026, 8, 31),
                ),
            )
        plots.append(plot)
    _food_documents(owner, shop, "Kopi / coffee (Coffea canephora, C. arabica)", today)
    ids = []
    for n, (key, item, product) in enumerate(
        _listings(
            spec,
            shop,
            ("robusta-medium", "robusta-dark", "arabika-light", "arabika-medium", "lanang"),
        )
    ):
        _translate(owner, key, item, product)
        _hs_code(product, "090121")
        _photos(owner, product, item.category, seed=shop.pk * 100 + n)
        for plot in plots:
            link_plot(owner, plot, product)
        _profile(owner, product, _food_profile(shop, "coffee", dds=f"26DEDDS{shop.pk:04d}{n:04d}"))
        ids.append(product.pk)
    return ids


def _cocoa_without_plots(spec: DemoShop, shop: Shop, today: dt.date) -> list[int]:
    owner = _owner(shop)
    _food_documents(owner, shop, "Nib kakao / cocoa nibs (Theobroma cacao)", today)
    ids = []
    for n, (key, item, product) in enumerate(_listings(spec, shop, ("cocoa-nibs",))):
        _translate(owner, key, item, product)
        # The category is "cocoa and chocolate" (heading 1806): the roasted nibs are sold as a
        # cocoa preparation, so the check finds only what the demo means to show (the plots).
        _hs_code(product, "180690")
        _photos(owner, product, item.category, seed=shop.pk * 100 + n)
        _profile(owner, product, _food_profile(shop, "cocoa", dds=""))
        ids.append(product.pk)
    return ids


def _crafts(
    spec: DemoShop,
    shop: Shop,
    keys: tuple[str, ...],
    hs_code: str,
    warnings: dict[str, str],
    partner: EuResponsiblePerson | None,
) -> list[int]:
    owner = _owner(shop)
    ids = []
    for n, (key, item, product) in enumerate(_listings(spec, shop, keys)):
        _translate(owner, key, item, product)
        _hs_code(product, hs_code)
        _photos(owner, product, item.category, seed=shop.pk * 100 + n)
        _profile(
            owner,
            product,
            {
                "manufacturer_name": shop.name,
                "manufacturer_address": f"{shop.village.name}, Kabupaten Banyuwangi, "
                "Jawa Timur 68400, Indonesia",
                "manufacturer_email": f"{spec.slug}@demo.pasarkampung.id",
                "product_identifier": f"{spec.slug.upper()[:12]}-{key.upper()}-{n + 1:02d}",
                "safety_warnings": warnings,
                "food_contact": key in ("bamboo-basket", "bamboo-straws"),
            },
        )
        if partner is not None:
            # Not a seller-edited field (``PROFILE_FIELDS``): the operator assigns the partner.
            ExportProfile.objects.filter(product=product, eu_responsible_person=None).update(
                eu_responsible_person=partner
            )
        ids.append(product.pk)
    return ids


def _partner() -> EuResponsiblePerson:
    partner = EuResponsiblePerson.objects.filter(name=EU_PARTNER["name"]).first()
    if partner is None:
        partner = EuResponsiblePerson.objects.create(**EU_PARTNER)
    return partner


def load_export_data(progress: Callable[[str], None]) -> int:
    """Give the demo's EU listings their export data (see the module's docstring), then recompute
    the readiness of every demo listing; return how many listings are ready for Germany."""
    today = timezone.localdate()
    partner = _partner()
    shops = {spec.name: (spec, _shop(spec)) for spec in SHOPS}
    for spec, shop in shops.values():
        if shop is None:
            continue
        if spec.name in COFFEE_PLOTS:
            _coffee_shop(spec, shop, today)
        elif spec.name == "Kakao Tulungrejo":
            _cocoa_without_plots(spec, shop, today)
        elif spec.name == "Batik Gajah Oling Temenggungan":
            _crafts(spec, shop, ("batik-cloth",), "520852", WARNINGS_NO_DE, None)
        elif spec.name == "Batik Sembulung":
            _crafts(spec, shop, ("batik-cloth",), "520852", WARNINGS, partner)
        elif spec.name in ("Anyaman Bambu Gintangan", "Bambu Rogojampi"):
            keys = ("bamboo-basket", "bamboo-lamp", "bamboo-straws")
            _crafts(spec, shop, keys, "460211", BAMBOO_WARNINGS, partner)
    demo_ids = list(
        Product.objects.filter(shop__in=[s for _spec, s in shops.values() if s]).values_list(
            "pk", flat=True
        )
    )
    recompute(demo_ids)
    from marketplace.readiness.models import ReadinessResult

    ready = (
        ReadinessResult.objects.filter(product_id__in=demo_ids, country="DE", ready=True)
        .values("product_id")
        .count()
    )
    progress(f"Export data: {ready} listings ready for Germany.")
    return ready
