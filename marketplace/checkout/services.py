"""Writes to the cart and checkout: lines, merge at login, destination, address, delivery, placing.

Every edit locks the checkout row first, so two tabs (or a double click) change one cart one after
the other. What may be added is decided by the storefront's rules, never re-written here: which
listings a market shows is ``catalog.selectors.products_for_market``, what a variant costs is
``markets.pricing.price_for``. Quantities are capped at the stock and the buyer is told. Totals
are ``totals.summarise``; ``complete_checkout`` turns the cart into orders and one payment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from djmoney.money import Money

from marketplace.addresses.models import Address
from marketplace.addresses.services import clean_phone
from marketplace.catalog.models import ProductVariant, StockMovement, StockReason
from marketplace.catalog.selectors import products_for_market, visible_products
from marketplace.core import events
from marketplace.markets.markets import Market, country_name, current_market, market_for_country
from marketplace.markets.pricing import DisplayPrice, price_for
from marketplace.orders.models import Order, OrderLine, generate_order_number
from marketplace.orders.services import orders_placed
from marketplace.payments.models import Payment
from marketplace.payments.services import create_payment
from marketplace.shipping.selectors import parcel_item, shipping_options
from sellers.models import Shop

from .models import Checkout, CheckoutDelivery, CheckoutLine
from .selectors import SESSION_KEY, destination_of, open_checkout_of, session_checkout
from .totals import STOCK_PROBLEMS, CheckoutSummary, ShopParcel, SummaryLine, summarise

#: The most of one item a cart holds (a typo of 1000 should not reach the stock check as a sale).
MAX_QUANTITY = 999


@dataclass(frozen=True)
class LineChange:
    """What an edit did: the line as it now is (``None`` when removed) and what to tell the buyer
    (e.g. that the quantity was capped at the stock); ``message`` is empty when all went as asked.
    """

    line: CheckoutLine | None
    message: str = ""


def market_of(checkout: Checkout) -> Market:
    return market_for_country(checkout.country)


# --- finding the cart -----------------------------------------------------------------------


def get_or_create_checkout(request: HttpRequest) -> Checkout:
    """The request's cart: the signed-in user's open checkout, else the visitor's by session.

    A new cart ships to the buyer's current market (the footer's country choice) and remembers
    the page language, so e-mails to a guest are written in it.
    """
    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False):
        checkout = open_checkout_of(user)
        if checkout is not None:
            return checkout
        try:
            with transaction.atomic():
                return _new_checkout(request, user=user)
        except IntegrityError:  # another request of this user created it a moment ago
            found = open_checkout_of(user)
            assert found is not None
            return found
    checkout = session_checkout(request)
    if checkout is not None:
        return checkout
    if not request.session.session_key:
        request.session.save()
    checkout = _new_checkout(request, user=None)
    request.session[SESSION_KEY] = str(checkout.token)
    return checkout


def _new_checkout(request: HttpRequest, *, user: Any) -> Checkout:
    return Checkout.objects.create(
        user=user,
        session_key=request.session.session_key or "" if user is None else "",
        country=current_market(request).country,
        language=translation.get_language() or "id",
    )


def _lock(checkout: Checkout) -> Checkout:
    """Lock the checkout row for this transaction (re-read in place, so the caller's object
    shows the change); a placed checkout can no longer change."""
    checkout.refresh_from_db(from_queryset=Checkout.objects.select_for_update())
    if checkout.completed_at is not None:
        raise ValidationError(
            _("This order has already been placed; your cart is empty now."), code="completed"
        )
    return checkout


# --- lines ------------------------------------------------------------------------------------


def _check_quantity(quantity: int, *, allow_zero: bool = False) -> None:
    low = 0 if allow_zero else 1
    if not isinstance(quantity, int) or quantity < low:
        raise ValidationError(
            {"quantity": ValidationError(_("Enter a quantity of at least 1."), code="min_value")}
        )
    if quantity > MAX_QUANTITY:
        raise ValidationError(
            {
                "quantity": ValidationError(
                    _("At most %(max)d of one item per order.") % {"max": MAX_QUANTITY},
                    code="max_value",
                )
            }
        )


def _sellable(variant_id: int, market: Market) -> tuple[ProductVariant, DisplayPrice]:
    """The variant with its price in ``market``, or a ``ValidationError`` saying why not."""
    variant = (
        ProductVariant.objects.select_related("product__category", "product__shop")
        .filter(pk=variant_id)
        .first()
    )
    if variant is None or not visible_products().filter(pk=variant.product_id).exists():
        raise ValidationError(_("This product is no longer for sale."), code="not_for_sale")
    price = None
    if products_for_market(market.code).filter(pk=variant.product_id).exists():
        price = price_for(variant, market)
    if price is None:
        raise ValidationError(
            _("%(product)s is not sold to %(country)s.")
            % {"product": variant.product.title, "country": country_name(market.country)},
            code="not_sold_there",
        )
    return variant, price


def _store_quantity(
    checkout: Checkout,
    variant: ProductVariant,
    price: DisplayPrice,
    line: CheckoutLine | None,
    wanted: int,
) -> LineChange:
    """Save ``wanted`` of ``variant`` (capped at the stock) and say when it was capped."""
    title = variant.product.title
    if variant.stock_quantity <= 0:
        raise ValidationError(
            _("%(product)s is sold out.") % {"product": title}, code="out_of_stock"
        )
    message = ""
    if wanted > variant.stock_quantity:
        wanted = variant.stock_quantity
        message = _("Only %(count)d of %(product)s left: your cart now holds %(count)d.") % {
            "count": wanted,
            "product": title,
        }
    if line is None:
        seen: dict[str, Any] = {"price_seen": price.gross}
        line = CheckoutLine.objects.create(
            checkout=checkout, variant=variant, quantity=wanted, **seen
        )
    else:
        line.quantity = wanted
        line.price_seen = price.gross
        line.save(update_fields=["quantity", "price_seen", "price_seen_currency"])
    Checkout.objects.filter(pk=checkout.pk).update(updated_at=timezone.now())
    return LineChange(line=line, message=message)


@transaction.atomic
def add_line(checkout: Checkout, variant: ProductVariant, quantity: int = 1) -> LineChange:
    """Put ``quantity`` more of ``variant`` in the cart (added to what is there, capped at stock).

    Refused: listings buyers may not see (unpublished, removed, shop not approved), variants the
    checkout's market does not sell, sold-out variants. The price the buyer sees now is kept on
    the line, so a later change of price is pointed out before paying.
    """
    _check_quantity(quantity)
    checkout = _lock(checkout)
    found, price = _sellable(variant.pk, market_of(checkout))
    line = CheckoutLine.objects.filter(checkout=checkout, variant=found).first()
    wanted = min((line.quantity if line else 0) + quantity, MAX_QUANTITY)
    return _store_quantity(checkout, found, price, line, wanted)


@transaction.atomic
def set_line_quantity(checkout: Checkout, variant: ProductVariant, quantity: int) -> LineChange:
    """Set the quantity of ``variant`` in the cart; 0 removes the line."""
    _check_quantity(quantity, allow_zero=True)
    checkout = _lock(checkout)
    line = CheckoutLine.objects.filter(checkout=checkout, variant_id=variant.pk).first()
    if quantity == 0:
        if line is not None:
            line.delete()
        return LineChange(line=None)
    found, price = _sellable(variant.pk, market_of(checkout))
    return _store_quantity(checkout, found, price, line, quantity)


@transaction.atomic
def remove_line(checkout: Checkout, variant: ProductVariant) -> None:
    checkout = _lock(checkout)
    CheckoutLine.objects.filter(checkout=checkout, variant_id=variant.pk).delete()
    _forget_empty_deliveries(checkout)


def _forget_empty_deliveries(checkout: Checkout) -> None:
    """A shop whose last line left the cart has no parcel, so no delivery choice either."""
    shops = CheckoutLine.objects.filter(checkout=checkout).values("variant__product__shop_id")
    CheckoutDelivery.objects.filter(checkout=checkout).exclude(shop_id__in=shops).delete()


# --- login ------------------------------------------------------------------------------------


@transaction.atomic
def merge_checkouts(anonymous: Checkout, user_checkout: Checkout) -> Checkout:
    """Move a visitor's cart lines into the user's open cart when they sign in.

    Quantities of the same variant are added and capped at the stock (a sold-out variant keeps
    what the user's cart had). The visitor's cart is then deleted. Both rows are locked in pk
    order, so two logins at once cannot lose lines.
    """
    if anonymous.pk == user_checkout.pk:
        return user_checkout
    first, second = sorted((anonymous.pk, user_checkout.pk))
    list(Checkout.objects.select_for_update().filter(pk__in=(first, second)).order_by("pk"))
    target = Checkout.objects.get(pk=user_checkout.pk)
    market = market_of(target)
    existing = {line.variant_id: line for line in target.lines.all()}
    incoming = anonymous.lines.select_related("variant__product__category").order_by("pk")
    for line in incoming:
        variant = line.variant
        current = existing.get(line.variant_id)
        wanted = min(
            (current.quantity if current else 0) + line.quantity,
            variant.stock_quantity,
            MAX_QUANTITY,
        )
        if current is not None:
            if wanted > current.quantity:
                current.quantity = wanted
                current.save(update_fields=["quantity"])
            continue
        if wanted <= 0:
            continue
        seen = line.price_seen
        if anonymous.country != target.country:
            price = price_for(variant, market)
            seen = price.gross if price is not None else None
        CheckoutLine.objects.create(
            checkout=target, variant=variant, quantity=wanted, price_seen=seen
        )
    anonymous.delete()
    Checkout.objects.filter(pk=target.pk).update(updated_at=timezone.now())
    return target


def checkout_for_login(request: HttpRequest, user: Any) -> Checkout | None:
    """At login: the visitor's cart becomes the user's (merged into theirs if they have one)."""
    anonymous = session_checkout(request)
    if anonymous is None:
        return open_checkout_of(user)
    own = open_checkout_of(user)
    if own is None:
        Checkout.objects.filter(pk=anonymous.pk).update(user=user, session_key="")
        anonymous.user = user
        result = anonymous
    else:
        result = merge_checkouts(anonymous, own)
    request.session.pop(SESSION_KEY, None)
    return result


# --- destination, contact, address, delivery -------------------------------------------------


@transaction.atomic
def set_country(checkout: Checkout, country: str) -> list[str]:
    """Ship to ``country``: the market (currency, VAT) follows.

    Delivery choices are forgotten (they were priced for the old destination), an address in
    another country is unset, and the prices seen are re-recorded in the new currency. Returns
    one message per line the new market does not sell (the lines stay; the summary lists them
    and placing the order is refused until they are removed).
    """
    try:
        market = market_for_country(country)
    except ValueError as exc:
        raise ValidationError(
            {
                "country": ValidationError(
                    _("We ship only to Indonesia and the member states of the European Union."),
                    code="invalid_country",
                )
            }
        ) from exc
    checkout = _lock(checkout)
    if checkout.country == market.country:
        return []
    checkout.country = market.country
    fields = ["country", "updated_at"]
    address = checkout.shipping_address
    if address is not None and address.country.code != market.country:
        checkout.shipping_address = None
        fields.append("shipping_address")
    checkout.save(update_fields=fields)
    CheckoutDelivery.objects.filter(checkout=checkout).delete()
    sold = set(
        products_for_market(market.code)
        .values_list("pk", flat=True)
        .filter(pk__in=CheckoutLine.objects.filter(checkout=checkout).values("variant__product_id"))
    )
    messages = []
    lines = checkout.lines.select_related("variant__product__category").order_by("pk")
    for line in lines:
        price = price_for(line.variant, market) if line.variant.product_id in sold else None
        line.price_seen = price.gross if price is not None else None
        line.save(update_fields=["price_seen", "price_seen_currency"])
        if price is None:
            messages.append(
                _("%(product)s is not sold to %(country)s.")
                % {"product": line.variant.product.title, "country": country_name(market.country)}
            )
    return messages


@transaction.atomic
def set_contact(checkout: Checkout, *, email: str = "", phone: str = "") -> Checkout:
    """The buyer's e-mail (receipts, for guests the only way to reach them) and phone."""
    errors: dict[str, list[ValidationError]] = {}
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [ValidationError(_("Enter a valid e-mail address."), code="invalid")]
    if phone.strip():
        try:
            phone = clean_phone(checkout.country, phone)
        except ValidationError as exc:
            errors["phone"] = [exc]
    if errors:
        raise ValidationError(errors)
    checkout = _lock(checkout)
    checkout.email = email
    checkout.phone = phone.strip()
    checkout.save(update_fields=["email", "phone", "updated_at"])
    return checkout


@transaction.atomic
def set_address(checkout: Checkout, address: Address) -> list[str]:
    """Ship to ``address`` (the destination country follows it). Returns ``set_country``'s
    messages about lines not sold there."""
    if address.user_id is not None and address.user_id != checkout.user_id:
        raise ValidationError(
            {
                "shipping_address": ValidationError(
                    _("Choose one of your addresses."), code="invalid"
                )
            }
        )
    messages = set_country(checkout, address.country.code)
    checkout = _lock(checkout)
    checkout.shipping_address = address
    if not checkout.phone:
        checkout.phone = address.phone
    checkout.save(update_fields=["shipping_address", "phone", "updated_at"])
    return messages


@transaction.atomic
def set_delivery(checkout: Checkout, shop: Shop, option_code: str) -> CheckoutDelivery:
    """Choose how ``shop``'s parcel travels: one of the options offered for it now."""
    checkout = _lock(checkout)
    lines = list(
        CheckoutLine.objects.filter(checkout=checkout, variant__product__shop=shop).select_related(
            "variant"
        )
    )
    if not lines:
        raise ValidationError(
            {"shop": ValidationError(_("Your cart holds nothing from this shop."), code="invalid")}
        )
    destination = destination_of(checkout)
    if destination is None:
        raise ValidationError(
            {
                "shipping_address": ValidationError(
                    _("Enter the shipping address first."), code="required"
                )
            }
        )
    shop = Shop.objects.select_related("village").get(pk=shop.pk)
    items = [parcel_item(line.variant, line.quantity) for line in lines]
    codes = {option.code for option in shipping_options(shop, destination, items)}
    if option_code not in codes:
        raise ValidationError(
            {
                "option_code": ValidationError(
                    _("This delivery is not available for this parcel; choose another."),
                    code="invalid",
                )
            }
        )
    delivery, _created = CheckoutDelivery.objects.update_or_create(
        checkout=checkout, shop=shop, defaults={"option_code": option_code}
    )
    return delivery


@transaction.atomic
def accept_prices(checkout: Checkout) -> None:
    """The buyer has seen the changed prices: remember the current ones as seen."""
    checkout = _lock(checkout)
    market = market_of(checkout)
    for line in checkout.lines.select_related("variant__product__category"):
        price = price_for(line.variant, market)
        if price is not None and line.price_seen != price.gross:
            line.price_seen = price.gross
            line.save(update_fields=["price_seen", "price_seen_currency"])


def new_idempotency_key() -> str:
    """A key for one press of the order button (pages put it in a hidden field)."""
    return uuid.uuid4().hex


# --- placing the order ------------------------------------------------------------------------


class OutOfStock(ValidationError):
    """Someone bought the last units first; the message names the product(s)."""


#: How often a placement is tried when an order number clashes (one in 10⁸ per order a month).
PLACE_ATTEMPTS = 3


def complete_checkout(
    checkout: Checkout,
    *,
    method: str,
    idempotency_key: str,
    user: Any,
    accept_terms: bool,
) -> Payment:
    """Turn the cart into one order per shop and one payment for all of them.

    Idempotent: ``idempotency_key`` names one press of the order button. The same key again (a
    double click, a retried request) returns the first payment and creates nothing. Everything
    happens in one transaction: the variants are locked in primary-key order (two checkouts of
    the same items queue instead of deadlocking), the summary is computed again under the locks,
    so the stock it checks cannot change before it is taken. Any problem refuses the order:
    ``OutOfStock`` (naming the products) when the stock no longer covers the cart, else a
    ``ValidationError`` with the summary's messages. EU buyers must have been shown the
    pre-contract information (``accept_terms``).
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise ValidationError(
            {
                "idempotency_key": ValidationError(
                    _("Reload the page and try again."), code="invalid"
                )
            }
        )
    if checkout.user_id is not None and getattr(user, "pk", None) != checkout.user_id:
        raise PermissionDenied
    for attempt in range(PLACE_ATTEMPTS):
        try:
            with transaction.atomic():
                return _place(
                    checkout, method=method, key=key, user=user, accept_terms=accept_terms
                )
        except IntegrityError:
            # The same key committed by a concurrent request (the unique key is the arbiter).
            found = Payment.objects.filter(idempotency_key=key).first()
            if found is not None:
                return found
            # Else an order number clashed (numbers are random and inserted without a look
            # first): everything was rolled back, so placing again draws new numbers.
            if attempt == PLACE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _place(checkout: Checkout, *, method: str, key: str, user: Any, accept_terms: bool) -> Payment:
    # A retry of a placed checkout finds it completed under the lock and answers its payment.
    locked = (
        Checkout.objects.select_for_update(of=("self",))
        .select_related("shipping_address")
        .get(pk=checkout.pk)
    )
    if locked.completed_at is not None:
        if locked.payment_id is not None:
            assert locked.payment is not None
            return locked.payment
        raise ValidationError(_("This order has already been placed."), code="completed")
    market = market_of(locked)
    if market.is_eu and not accept_terms:
        raise ValidationError(
            {
                "accept_terms": ValidationError(
                    _(
                        "Please confirm that you have read the seller details, the total price "
                        "and the withdrawal terms."
                    ),
                    code="required",
                )
            }
        )
    # The one lock order of stock rows (orders' stock release uses it too): by primary key.
    list(
        ProductVariant.objects.select_for_update()
        .filter(pk__in=CheckoutLine.objects.filter(checkout=locked).values("variant_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    summary = summarise(locked)
    stock = [p for p in summary.problems if p.code in STOCK_PROBLEMS]
    if stock:
        raise OutOfStock([p.message for p in stock], code="out_of_stock")
    if summary.problems:
        raise ValidationError([p.message for p in summary.problems], code="problems")

    email = locked.email or getattr(user, "email", "") or ""
    started = timezone.now()
    payment = create_payment(
        method=method, amount=summary.total, idempotency_key=key, buyer=user, email=email
    )
    if payment.created_at < started:
        return payment  # the key was used before (by another checkout): nothing new
    _take_stock(summary, user)
    address = locked.shipping_address
    assert address is not None
    snapshot = address.snapshot()
    orders = Order.objects.bulk_create(
        _order(locked, parcel, summary, payment, user, snapshot) for parcel in summary.parcels
    )
    OrderLine.objects.bulk_create(
        _order_line(order, line, parcel)
        for order, parcel in zip(orders, summary.parcels, strict=True)
        for line in parcel.lines
    )
    orders_placed(orders, actor=user)
    locked.completed_at = timezone.now()
    locked.payment = payment
    locked.save(update_fields=["completed_at", "payment", "updated_at"])
    return payment


def _take_stock(summary: CheckoutSummary, user: Any) -> None:
    """Decrement every variant in one statement and record a sale movement for each.

    The variants are locked and the summary checked them, so no stock goes below zero (and the
    database's check constraint would refuse it if it did).

    Events: ``product.stock_out`` and ``product.changed`` only for a variant this sale emptied.
    What buyers see of stock through caches and the search index is whether a listing is in
    stock at all (the "Out of stock" badge, the ``in_stock`` filter); the count ("only 3 left") is
    read live on the product page. A sale that leaves stock changes neither, so it announces
    nothing: announcing every sale re-indexed the listing, dropped every cached listing page and
    re-evaluated training tasks, a fifth of a checkout's time, after commit.
    """
    sold: dict[int, tuple[ProductVariant, int]] = {}
    for parcel in summary.parcels:
        for line in parcel.lines:
            sold[line.variant.pk] = (line.variant, line.quantity)
    ProductVariant.objects.filter(pk__in=sold).update(
        stock_quantity=F("stock_quantity")
        - Case(*(When(pk=pk, then=Value(q)) for pk, (_v, q) in sold.items()), default=Value(0))
    )
    actor = user if getattr(user, "is_authenticated", False) else None
    StockMovement.objects.bulk_create(
        StockMovement(
            variant_id=pk,
            delta=-quantity,
            quantity_after=variant.stock_quantity - quantity,
            reason=StockReason.SALE,
            actor=actor,
        )
        for pk, (variant, quantity) in sold.items()
    )
    emptied = set()
    for pk, (variant, quantity) in sold.items():
        if variant.stock_quantity - quantity == 0:
            events.emit("product.stock_out", product_id=variant.product_id, variant_id=pk)
            emptied.add(variant.product_id)
    for product_id in sorted(emptied):
        events.emit("product.changed", product_id=product_id)


def _order(
    checkout: Checkout,
    parcel: ShopParcel,
    summary: CheckoutSummary,
    payment: Payment,
    user: Any,
    address: dict[str, str],
) -> Order:
    option = parcel.shipping_option
    assert option is not None
    money: dict[str, Any] = {
        "subtotal": parcel.subtotal,
        "shipping": parcel.shipping,
        "vat": parcel.vat,
        "duty": parcel.duty,
        "total": parcel.total,
        "due_on_delivery": parcel.due_on_delivery,
    }
    currency = summary.currency
    # Saved in bulk (one statement for all parcels), so what ``Order.save`` would fill is set
    # here: the number (drawn without a look-up query; a clash is retried whole, see
    # ``complete_checkout``) and the refunded amount in the order's currency.
    return Order(
        number=generate_order_number(),
        refunded=Money(0, currency),  # type: ignore[misc]
        shop=parcel.shop,
        buyer=user if getattr(user, "is_authenticated", False) else None,
        email=payment.email,
        phone=checkout.phone or address.get("phone", ""),
        language=checkout.language,
        payment=payment,
        market=summary.market.code,
        country=summary.market.country,
        currency=currency,
        shipping_address=address,
        tax_regime=parcel.regime,
        shipping_code=option.code,
        courier=option.courier[:40],
        service=option.service[:40],
        weight_grams=parcel.weight_grams,
        expires_at=payment.expires_at,
        **money,
    )


def _order_line(order: Order, line: SummaryLine, parcel: ShopParcel) -> OrderLine:
    variant = line.variant
    product = variant.product
    price = line.price
    assert price is not None and line.unit_charged is not None
    money: dict[str, Any] = {"unit_price": line.unit_charged, "unit_net": price.net}
    return OrderLine(
        order=order,
        variant=variant,
        product_title=product.title[:150],
        variant_name=variant.name,
        sku=variant.sku,
        quantity=line.quantity,
        vat_rate=price.vat_rate if parcel.regime == "ioss" else None,
        tax_class=product.category.tax_class,
        hs_code=product.customs_code,
        weight_grams=variant.weight_grams or 0,
        category_id=product.category_id,
        is_perishable=product.category.is_perishable,
        **money,
    )
