"""The one computation of what a checkout costs: per shop parcel and in total, with its problems.

Cart pages, the GraphQL checkout and ``complete_checkout`` all call ``summarise``, so the figure a
buyer reads is the figure they pay. Nothing here is a rule of its own: prices come from
``markets.pricing.price_for``, which listings a market sells from
``catalog.selectors.products_for_market``, weights and shipping from ``marketplace.shipping``, EU
VAT and duty from ``taxes.customs.parcel_taxes``.

Amounts per parcel, in the checkout's currency:

- Indonesia: goods at their final prices + shipping (no tax line).
- EU, parcel's goods ≤ €150 (IOSS): goods at the displayed prices (destination VAT included) +
  shipping with its VAT + the flat duty when in force; ``vat`` is the VAT inside those figures
  (``parcel_taxes``'s lines, given each line's gross so that a line's VAT is exactly
  ``(unit gross - unit net) x quantity``), shown as "incl.". So ``total = Σ unit gross x quantity
  + shipping incl. VAT + duty`` and ``vat`` is what that total contains, to the cent.
- EU, above €150: the marketplace charges no VAT, so goods are charged net + shipping; the buyer
  is told the import VAT, duty and carrier fee the courier will collect (``due_on_delivery``).

The query count does not grow with the number of lines: lines come with their variant, listing,
category and shop in one query; which of them the market sells is one more; rates are cached.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from djmoney.money import Money
from modeltranslation.utils import build_localized_fieldname

from marketplace.catalog.models import ProductStatus, ProductVariant
from marketplace.catalog.selectors import products_for_market
from marketplace.catalog.services import LISTING_LANGUAGES
from marketplace.markets.formatting import format_money
from marketplace.markets.markets import Market, country_name, market_for_country
from marketplace.markets.pricing import DisplayPrice, price_for
from marketplace.readiness import selectors as readiness
from marketplace.shipping.selectors import (
    ParcelItem,
    ShippingOption,
    ShippingUnavailable,
    parcel_item,
    parcel_weight,
    quoting,
    shipping_quote,
)
from marketplace.taxes.customs import ParcelTaxes, TaxableLine, parcel_taxes
from sellers.models import Shop, ShopStatus

from .models import Checkout, CheckoutLine
from .selectors import destination_of


@dataclass(frozen=True)
class Problem:
    """Something the buyer must settle before paying; ``message`` is translated."""

    code: str  # "price_changed", "out_of_stock", "low_stock", "not_for_sale", "not_sold_there",
    # "not_export_ready", "no_shipping", "shipping_unavailable", "no_address", "no_contact", "empty"
    message: str
    variant_id: int | None = None
    shop_id: int | None = None

    def __str__(self) -> str:
        return self.message


#: Problems about stock: ``complete_checkout`` answers them with ``OutOfStock``.
STOCK_PROBLEMS = frozenset({"out_of_stock", "low_stock"})


@dataclass(frozen=True)
class SummaryLine:
    line: CheckoutLine
    variant: ProductVariant
    quantity: int
    #: ``None`` when the checkout's market does not sell the variant (or buyers cannot see it).
    price: DisplayPrice | None
    #: What one unit is charged: gross, except net for EU parcels above the IOSS threshold.
    unit_charged: Money | None = None
    total: Money | None = None

    @property
    def product_title(self) -> str:
        return self.variant.product.title


@dataclass(frozen=True)
class ShopParcel:
    shop: Shop
    lines: list[SummaryLine]
    items: list[ParcelItem]
    weight_grams: int
    #: The chosen shipping option, priced for this parcel; ``None`` until one is chosen.
    shipping_option: ShippingOption | None
    taxes: ParcelTaxes | None  # EU only
    regime: str  # "domestic", "ioss" or "import"
    subtotal: Money
    shipping: Money
    vat: Money
    duty: Money
    total: Money
    due_on_delivery: Money | None


@dataclass(frozen=True)
class CheckoutSummary:
    checkout: Checkout
    market: Market
    currency: str
    parcels: list[ShopParcel]
    subtotal: Money
    shipping: Money
    vat: Money
    duty: Money
    total: Money
    due_on_delivery: Money | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.parcels

    @property
    def can_complete(self) -> bool:
        return not self.problems


def _zero(currency: str) -> Money:
    return Money(0, currency)


#: Long texts the summary never reads: left out of its one query.
_UNREAD = (
    *(
        f"variant__product__{build_localized_fieldname('description', language)}"
        for language in LISTING_LANGUAGES
    ),
    "variant__product__description",
    "variant__product__moderation_reason",
    "variant__product__shop__story",
    "variant__product__shop__status_reason",
)


def load_lines(checkout: Checkout) -> list[CheckoutLine]:
    """The cart's lines with everything the summary reads, in one query (for an EU destination
    with each listing's stored export readiness for that country: ``export_ready``,
    ``export_findings``)."""
    qs = checkout.lines.select_related(
        "variant__product__category", "variant__product__shop__village"
    )
    if market_for_country(checkout.country).code == "EU":
        qs = qs.annotate(**readiness.readiness_annotations("variant__product", checkout.country))
    return list(qs.defer(*_UNREAD).order_by("variant__product__shop_id", "pk"))


def summarise(checkout: Checkout, *, on: datetime.date | None = None) -> CheckoutSummary:
    """Prices, parcels, shipping, taxes and problems of ``checkout`` on ``on`` (default today)."""
    market = market_for_country(checkout.country)
    currency = market.currency
    lines = load_lines(checkout)
    product_ids = {line.variant.product_id for line in lines}
    sold = (
        set(
            products_for_market(market.code).filter(pk__in=product_ids).values_list("pk", flat=True)
        )
        if product_ids
        else set()
    )
    deliveries = {d.shop_id: d.option_code for d in checkout.deliveries.all()} if lines else {}
    address = checkout.shipping_address if checkout.shipping_address_id else None
    destination_known = checkout.country != "ID" or bool(address and address.province_code)
    problems: list[Problem] = []
    if not lines:
        problems.append(Problem("empty", _("Your cart is empty.")))

    by_shop: dict[int, list[CheckoutLine]] = {}
    for line in lines:
        by_shop.setdefault(line.variant.product.shop_id, []).append(line)

    parcels = []
    with quoting():  # the shipping tables are read once for all parcels, not once per parcel
        for shop_lines in by_shop.values():
            shop = shop_lines[0].variant.product.shop
            priced = []
            for line in shop_lines:
                price = _line_price(line, market, sold, on, problems)
                priced.append((line, price))
            parcels.append(
                _parcel(checkout, shop, priced, market, deliveries, destination_known, on, problems)
            )

    if lines and not address:
        problems.append(Problem("no_address", _("Enter the shipping address.")))
    if lines and checkout.user_id is None and not checkout.email:
        problems.append(
            Problem("no_contact", _("Enter your e-mail address for the order confirmation."))
        )
    totals = {
        name: sum((getattr(p, name) for p in parcels), _zero(currency))
        for name in ("subtotal", "shipping", "vat", "duty", "total")
    }
    due = [p.due_on_delivery for p in parcels if p.due_on_delivery is not None]
    return CheckoutSummary(
        checkout=checkout,
        market=market,
        currency=currency,
        parcels=parcels,
        due_on_delivery=sum(due, _zero(currency)) if due else None,
        problems=problems,
        **totals,
    )


def _line_price(
    line: CheckoutLine,
    market: Market,
    sold: set[int],
    on: datetime.date | None,
    problems: list[Problem],
) -> DisplayPrice | None:
    variant = line.variant
    product = variant.product
    title = product.title
    if product.status != ProductStatus.PUBLISHED or product.shop.status != ShopStatus.APPROVED:
        problems.append(
            Problem(
                "not_for_sale",
                _("%(product)s is no longer for sale; remove it from your cart.")
                % {"product": title},
                variant_id=variant.pk,
            )
        )
        return None
    if market.code == "EU" and product.ships_to_eu and not getattr(line, "export_ready", True):
        # The export-readiness rules (``marketplace.readiness``): the listing sells at home and
        # to the EU states it is ready for, never to this one until the seller fixes it.
        reasons = readiness.blocking_messages(getattr(line, "export_findings", None))
        problems.append(
            Problem(
                "not_export_ready",
                _("%(product)s cannot be sent to %(country)s yet: %(reasons)s")
                % {
                    "product": title,
                    "country": country_name(market.country),
                    "reasons": " ".join(reasons)
                    or _("the seller has not completed the export details."),
                },
                variant_id=variant.pk,
            )
        )
        return None
    price = price_for(variant, market, on=on) if product.pk in sold else None
    if price is None:
        problems.append(
            Problem(
                "not_sold_there",
                _("%(product)s is not sold to %(country)s; remove it from your cart.")
                % {"product": title, "country": country_name(market.country)},
                variant_id=variant.pk,
            )
        )
        return None
    if variant.stock_quantity <= 0:
        problems.append(
            Problem(
                "out_of_stock",
                _("%(product)s is sold out; remove it from your cart.") % {"product": title},
                variant_id=variant.pk,
            )
        )
    elif line.quantity > variant.stock_quantity:
        problems.append(
            Problem(
                "low_stock",
                _("Only %(count)d of %(product)s left; lower the quantity.")
                % {"count": variant.stock_quantity, "product": title},
                variant_id=variant.pk,
            )
        )
    seen = line.price_seen
    if seen is not None and seen != price.gross:
        problems.append(
            Problem(
                "price_changed",
                _("The price of %(product)s changed from %(before)s to %(now)s.")
                % {
                    "product": title,
                    "before": format_money(seen),
                    "now": format_money(price.gross),
                },
                variant_id=variant.pk,
            )
        )
    return price


def _parcel(
    checkout: Checkout,
    shop: Shop,
    priced: Sequence[tuple[CheckoutLine, DisplayPrice | None]],
    market: Market,
    deliveries: dict[int, str],
    destination_known: bool,
    on: datetime.date | None,
    problems: list[Problem],
) -> ShopParcel:
    currency = market.currency
    sellable = [(line, price) for line, price in priced if price is not None]
    items = [parcel_item(line.variant, line.quantity) for line, _price in sellable]

    option: ShippingOption | None = None
    code = deliveries.get(shop.pk)
    destination = destination_of(checkout) if destination_known else None
    if sellable and destination is not None:
        if code is None:
            problems.append(
                Problem(
                    "no_shipping",
                    _("Choose a delivery for the parcel from %(shop)s.") % {"shop": shop.name},
                    shop_id=shop.pk,
                )
            )
        else:
            try:
                option = shipping_quote(shop, destination, items, code)
            except ShippingUnavailable as exc:
                problems.append(
                    Problem("shipping_unavailable", " ".join(exc.messages), shop_id=shop.pk)
                )
    shipping = option.price if option is not None else _zero(currency)
    # The quote weighed the parcel already (each weighing reads the packaging settings).
    weight = option.weight_grams if option is not None else parcel_weight(items)

    taxes: ParcelTaxes | None = None
    regime = "domestic"
    vat = duty = _zero(currency)
    due: Money | None = None
    if market.is_eu and sellable:
        taxes = parcel_taxes(
            market.country,
            [
                TaxableLine(
                    tax_class=line.variant.product.category.tax_class,
                    hs_code=line.variant.product.customs_code,
                    net=price.net * line.quantity,
                    # What the buyer is charged: the VAT line is the VAT this contains.
                    gross=price.gross * line.quantity,
                )
                for line, price in sellable
            ],
            shipping,
            on=on,
        )
        regime = taxes.regime
        if regime == "ioss":
            vat, duty = taxes.vat, taxes.duty
            # The VAT lines after the goods' are the delivery's: shown inside the shipping
            # price, as every EU consumer price includes VAT.
            shipping_vat = taxes.vat_lines[len(sellable) :]
            shipping = sum((v.amount for v in shipping_vat), shipping)
        due = taxes.due_on_delivery

    summary_lines = []
    for line, price in priced:
        unit = None
        if price is not None:
            unit = price.net if regime == "import" else price.gross
        summary_lines.append(
            SummaryLine(
                line=line,
                variant=line.variant,
                quantity=line.quantity,
                price=price,
                unit_charged=unit,
                total=unit * line.quantity if unit is not None else None,
            )
        )
    subtotal = sum((s.total for s in summary_lines if s.total is not None), _zero(currency))
    return ShopParcel(
        shop=shop,
        lines=summary_lines,
        items=items,
        weight_grams=weight,
        shipping_option=option,
        taxes=taxes,
        regime=regime,
        subtotal=subtotal,
        shipping=shipping,
        vat=vat,
        duty=duty,
        # IOSS VAT is inside the displayed prices already; duty comes on top.
        total=subtotal + shipping + duty,
        due_on_delivery=due,
    )
