"""The papers an EU parcel leaves Indonesia with: the CN23 customs declaration and the invoice.

One order is one parcel (checkout places one order per shop), so each order gets its own CN23 and
invoice. Everything comes from the order's snapshot (lines, address, tax regime) and from the
``CustomsSettings`` row in force on the day it was paid, so reprinting a paper next month gives the
same paper. Nothing here writes.

- Items: per line still to send (refunded units are not declared) a precise description (the
  listing's English title when the listing still exists and has one: customs officers in Europe
  read English; else the snapshot title), quantity, net weight, value in EUR (the net price without
  VAT: the intrinsic value customs and IOSS use), the HS code and origin "ID".
- The IOSS number when the order was sold under IOSS (VAT charged at checkout): the parcel then
  clears without the buyer paying VAT again.
- The EUDR due-diligence statement reference of a line's listing when one was filed (read from
  ``marketplace.readiness`` only if that app is installed).
- The invoice carries the GSP statement on origin; above the REX threshold (€6,000) it needs the
  exporter's REX number, and says so when none is set.
- A parcel above the PEB threshold (30 kg) is flagged: it needs an Indonesian export declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from djmoney.money import Money

from marketplace.orders.documents import parcel_weight, recipient_name, ship_to_lines, slip_lines
from marketplace.orders.models import Order

from .models import CustomsSettings

ORIGIN_COUNTRY = "ID"


@dataclass(frozen=True)
class CustomsItem:
    description: str
    quantity: int
    net_weight_grams: int
    value: Money
    hs_code: str
    origin: str
    dds_reference: str


@dataclass(frozen=True)
class CustomsPaper:
    order: Order
    sender: list[str]
    recipient: str
    addressee: list[str]
    items: list[CustomsItem]
    total_value: Money
    net_weight_grams: int
    gross_weight_grams: int
    ioss_number: str
    needs_peb: bool
    needs_rex: bool
    rex_number: str
    settings: CustomsSettings
    eu_address: str

    @property
    def peb_threshold_kg(self) -> str:
        return f"{Decimal(self.settings.peb_threshold_grams) / 1000:g}"


def _dds_references(product_ids: set[int]) -> dict[int, str]:
    """The EUDR due-diligence references of these listings, if the readiness app keeps them."""
    if not product_ids or not apps.is_installed("marketplace.readiness"):
        return {}
    try:
        profile_model = apps.get_model("readiness", "ExportProfile")
    except LookupError:
        return {}
    if not any(f.name == "dds_reference" for f in profile_model._meta.get_fields()):
        return {}
    rows = profile_model.objects.filter(product_id__in=product_ids).values_list(
        "product_id", "dds_reference"
    )
    return {pk: ref for pk, ref in rows if ref}


def _english_title(line: Any) -> str:
    product = line.variant.product if line.variant_id and line.variant else None
    title = getattr(product, "title_en", "") if product is not None else ""
    text = title or line.product_title
    return f"{text} ({line.variant_name})" if line.variant_name else text


def customs_paper(order: Order) -> CustomsPaper:
    """The figures both papers print, computed once."""
    if not order.is_eu:
        raise ValidationError(_("Customs papers are only for parcels to the EU."), code="not_eu")
    rows = slip_lines(order)
    products = {
        row.line.variant.product_id for row in rows if row.line.variant_id and row.line.variant
    }
    dds = _dds_references(products)
    items = []
    for row in rows:
        line = row.line
        product_id = line.variant.product_id if line.variant_id and line.variant else None
        items.append(
            CustomsItem(
                description=_english_title(line),
                quantity=row.quantity,
                net_weight_grams=row.weight_grams,
                value=Money(line.unit_net.amount * row.quantity, order.currency),
                hs_code=line.hs_code,
                origin=ORIGIN_COUNTRY,
                dds_reference=dds.get(product_id or 0, ""),
            )
        )
    total = sum((item.value for item in items), Money(Decimal("0"), order.currency))
    paid_on = timezone.localdate(order.paid_at) if order.paid_at else timezone.localdate()
    row_settings = CustomsSettings.on(paid_on)
    net_weight = sum(item.net_weight_grams for item in items)
    gross = parcel_weight(order, rows)
    shop = order.shop
    village = shop.village
    sender = [shop.name]
    if village is not None:
        sender.append(village.name.title())
        district = village.parent
        if district is not None:
            sender.append(district.name.title())
    sender.append("Indonesia")
    return CustomsPaper(
        order=order,
        sender=sender,
        recipient=recipient_name(order),
        addressee=ship_to_lines(order),
        items=items,
        total_value=total,
        net_weight_grams=net_weight,
        gross_weight_grams=gross,
        ioss_number=row_settings.ioss_number if order.tax_regime == "ioss" else "",
        needs_peb=gross > row_settings.peb_threshold_grams,
        needs_rex=total.amount > row_settings.rex_threshold.amount,
        rex_number=row_settings.rex_number,
        settings=row_settings,
        eu_address=row_settings.eu_address,
    )


#: Customs officers in Europe read English (the CN23 is printed in French and English); the
#: seller's dashboard links to the same English paper.
PAPER_LANGUAGE = "en"


def _pdf(template: str, paper: CustomsPaper) -> bytes:
    from weasyprint import HTML

    with translation.override(PAPER_LANGUAGE):
        html = render_to_string(
            template, {"paper": paper, "order": paper.order, "LANGUAGE_CODE": PAPER_LANGUAGE}
        )
    return bytes(HTML(string=html).write_pdf())


def cn23_pdf(order: Order) -> bytes:
    """The CN23 customs declaration of one EU parcel, as PDF bytes."""
    return _pdf("customs/cn23.html", customs_paper(order))


def invoice_pdf(order: Order) -> bytes:
    """The commercial invoice with the GSP statement on origin, as PDF bytes."""
    return _pdf("customs/invoice.html", customs_paper(order))
