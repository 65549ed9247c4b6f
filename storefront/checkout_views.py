"""The buyer's cart, checkout and payment pages: ``/keranjang/``, ``/checkout/``, ``/pembayaran/``.

Thin on purpose: every figure on these pages is ``checkout.totals.summarise``'s (the one
computation ``complete_checkout`` repeats under its locks), every change is a
``checkout.services`` call, and payments start through their gateway. The views only turn
forms into those calls and ``ValidationError`` into messages, so a refused edit writes nothing
and a bad input never answers 500.

Everything works without JavaScript except the card form (Stripe's Payment Element, the one page
allowed real script). The order button carries an idempotency key generated when the page was
rendered and the checkout's token: a double click or a retried POST finds the checkout placed and
answers its payment, so it never makes a second set of orders.

The header's cart count is kept in the session (``CART_COUNT``), written only here, so pages
without a cart read no table for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.addresses.forms import AddressForm
from marketplace.addresses.selectors import addresses_of
from marketplace.catalog.models import ProductVariant
from marketplace.checkout import services
from marketplace.checkout.models import Checkout
from marketplace.checkout.selectors import (
    SESSION_KEY,
    current_checkout,
    destination_of,
    open_checkout_of,
)
from marketplace.checkout.totals import CheckoutSummary, ShopParcel, summarise
from marketplace.markets.markets import country_name, shipping_countries
from marketplace.orders.links import order_url
from marketplace.orders.models import Order, OrderLine
from marketplace.payments import services as payment_services
from marketplace.payments.models import Payment, PaymentMethod, PaymentStatus
from marketplace.shipping.selectors import ShippingOption, shipping_options

#: Session key of the number of items in the cart (the header's badge).
CART_COUNT = "cart_count"


def set_cart_count(
    request: HttpRequest, checkout: Checkout | None, *, summary: CheckoutSummary | None = None
) -> int:
    """Remember how many items the cart holds, for the header. Counted from ``summary`` when the
    page has one (no query), else with one small query; the session is written only on change."""
    count = 0
    if summary is not None:
        count = sum(line.quantity for parcel in summary.parcels for line in parcel.lines)
    elif checkout is not None and checkout.completed_at is None:
        count = sum(checkout.lines.values_list("quantity", flat=True))
    if request.session.get(CART_COUNT, 0) != count:
        request.session[CART_COUNT] = count
    return count


def cart_count_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At sign-in the cart becomes the user's (merged): the header's count follows."""
    if request is None or getattr(request, "session", None) is None:
        return
    set_cart_count(request, open_checkout_of(user))


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _report(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def errors_by_field(exc: ValidationError) -> dict[str | None, list[str]]:
    """A service's ``ValidationError`` as messages per field (``None``: about the whole form)."""
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {None: list(exc.messages)}


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Back to ``next`` when it is one of our pages (the product page's form sends it)."""
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return HttpResponseRedirect(target)


# --- the cart -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def cart(request: HttpRequest) -> HttpResponse:
    """The cart: lines grouped by shop, quantities to change, and what must be settled first.

    Shows the cart without creating one: a visitor who only looks writes nothing.
    """
    checkout = current_checkout(request)
    summary = summarise(checkout) if checkout is not None else None
    set_cart_count(request, checkout, summary=summary)
    problems = [p for p in summary.problems if p.code != "empty"] if summary else []
    return render(
        request,
        "storefront/checkout/cart.html",
        {
            "checkout": checkout,
            "summary": summary,
            "problems": _cart_problems(problems),
            "line_problems": {p.variant_id: p.message for p in problems if p.variant_id},
            "price_changed": any(p.code == "price_changed" for p in problems),
            "country": country_name(summary.market.country) if summary else "",
        },
    )


#: Problems the cart page itself can settle; the rest (address, delivery) belong to checkout.
_CART_PROBLEMS = frozenset(
    {"price_changed", "out_of_stock", "low_stock", "not_for_sale", "not_sold_there"}
)


def _cart_problems(problems: list[Any]) -> list[Any]:
    return [p for p in problems if p.code in _CART_PROBLEMS]


class AddToCartForm(forms.Form):
    variant = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(
        label=gettext_lazy("Quantity"), min_value=1, max_value=services.MAX_QUANTITY, initial=1
    )


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    """The product page's "Add to cart": ``variant`` and ``quantity``."""
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        if "variant" in form.errors:
            messages.error(request, _("Choose a variant."))
        else:
            messages.error(
                request,
                _("Enter a quantity from 1 to %(max)d.") % {"max": services.MAX_QUANTITY},
            )
        return _back(request, reverse("storefront:cart"))
    variant = ProductVariant.objects.filter(pk=form.cleaned_data["variant"]).first()
    if variant is None:
        messages.error(request, _("This product is no longer for sale."))
        return _back(request, reverse("storefront:cart"))
    checkout = services.get_or_create_checkout(request)
    try:
        change = services.add_line(checkout, variant, form.cleaned_data["quantity"])
    except ValidationError as exc:
        _report(request, exc)
        return _back(request, reverse("storefront:cart"))
    set_cart_count(request, checkout)
    if change.message:
        messages.warning(request, change.message)
    else:
        messages.success(request, _("Added to your cart."))
    return redirect("storefront:cart")


@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    """Change a line's quantity (0 or the remove button takes it out)."""
    checkout = current_checkout(request)
    variant_id = _int(request.POST.get("variant"))
    if checkout is None or variant_id is None:
        return redirect("storefront:cart")
    variant = ProductVariant(pk=variant_id)
    try:
        if "remove" in request.POST:
            services.remove_line(checkout, variant)
            messages.success(request, _("Removed from your cart."))
        else:
            quantity = _int(request.POST.get("quantity"))
            if quantity is None:
                raise ValidationError(_("Enter a quantity of at least 1."))
            change = services.set_line_quantity(checkout, variant, quantity)
            if change.line is None:
                services.remove_line(checkout, variant)
                messages.success(request, _("Removed from your cart."))
            elif change.message:
                messages.warning(request, change.message)
            else:
                messages.success(request, _("Your cart was updated."))
    except ValidationError as exc:
        _report(request, exc)
    set_cart_count(request, checkout)
    return redirect("storefront:cart")


@require_POST
def cart_accept_prices(request: HttpRequest) -> HttpResponse:
    """The buyer has read the changed prices and goes on with them."""
    checkout = current_checkout(request)
    if checkout is not None:
        try:
            services.accept_prices(checkout)
        except ValidationError as exc:
            _report(request, exc)
    if request.POST.get("then") == "checkout":
        return redirect("storefront:checkout")
    return redirect("storefront:cart")


# --- checkout -------------------------------------------------------------------------------


class ContactForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False, max_length=254)
    phone = forms.CharField(label=gettext_lazy("Phone number"), required=False, max_length=30)

    def __init__(self, *args: Any, email_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = email_required


@dataclass(frozen=True)
class ParcelChoice:
    """A shop's parcel on the checkout page with the deliveries it can choose from."""

    parcel: ShopParcel
    options: list[ShippingOption]
    chosen: str


@dataclass(frozen=True)
class MethodChoice:
    code: str
    label: str
    help: str


def payment_methods(currency: str) -> list[MethodChoice]:
    """What the buyer may pay with: bank transfer in rupiah; cards when Stripe is configured,
    else the demo method (visibly marked) so the marketplace can be tried end to end."""
    methods = []
    if currency == "IDR":
        methods.append(
            MethodChoice(
                PaymentMethod.BANK_TRANSFER,
                _("Bank transfer"),
                _("Transfer the exact amount within 24 hours and upload the receipt."),
            )
        )
    if settings.PAYMENT_GATEWAY == "stripe":
        methods.append(
            MethodChoice(PaymentMethod.STRIPE, _("Card"), _("Visa, Mastercard and more."))
        )
    else:
        methods.append(
            MethodChoice(
                PaymentMethod.DEMO,
                _("Demo payment (no money moves)"),
                _(
                    "This marketplace runs without a card provider: the order is marked paid at "
                    "once, for trying it out."
                ),
            )
        )
    return methods


def _checkout_or_cart(request: HttpRequest) -> Checkout | HttpResponse:
    checkout = current_checkout(request)
    if checkout is None or not checkout.lines.exists():
        messages.info(request, _("Your cart is empty."))
        return redirect("storefront:cart")
    return checkout


def _address_form(checkout: Checkout, data: Any = None) -> AddressForm:
    address = checkout.shipping_address if checkout.shipping_address_id else None
    if data is not None:
        return AddressForm(data, country=checkout.country, prefix="alamat")
    if address is not None:
        return AddressForm.for_address(address, prefix="alamat")
    return AddressForm(country=checkout.country, prefix="alamat")


def _contact_form(request: HttpRequest, checkout: Checkout, data: Any = None) -> ContactForm:
    email_required = not request.user.is_authenticated
    if data is not None:
        return ContactForm(data, email_required=email_required, prefix="kontak")
    return ContactForm(
        initial={
            "email": checkout.email or getattr(request.user, "email", ""),
            "phone": checkout.phone,
        },
        email_required=email_required,
        prefix="kontak",
    )


#: How many saved addresses the checkout offers to ship to again.
SAVED_ADDRESSES = 5


def _saved_addresses(request: HttpRequest, checkout: Checkout) -> list[Any]:
    """A signed-in buyer's other saved addresses, to ship to one of them in one click."""
    if not request.user.is_authenticated:
        return []
    return list(
        addresses_of(request.user).exclude(pk=checkout.shipping_address_id or 0)[:SAVED_ADDRESSES]
    )


def _parcel_choices(checkout: Checkout, summary: CheckoutSummary) -> list[ParcelChoice]:
    destination = destination_of(checkout) if checkout.shipping_address_id else None
    choices = []
    for parcel in summary.parcels:
        options: list[ShippingOption] = []
        if destination is not None and parcel.items:
            options = shipping_options(parcel.shop, destination, parcel.items)
        chosen = parcel.shipping_option.code if parcel.shipping_option else ""
        choices.append(ParcelChoice(parcel=parcel, options=options, chosen=chosen))
    return choices


def _render_checkout(
    request: HttpRequest,
    checkout: Checkout,
    *,
    address_form: AddressForm | None = None,
    contact_form: ContactForm | None = None,
    place_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    summary = summarise(checkout)
    market = summary.market
    lines = [line for parcel in summary.parcels for line in parcel.lines]
    perishable = [line for line in lines if line.variant.product.category.is_perishable]
    return render(
        request,
        "storefront/checkout/checkout.html",
        {
            "checkout": checkout,
            "summary": summary,
            "market": market,
            "country_name": country_name(checkout.country),
            "countries": shipping_countries(),
            "address": checkout.shipping_address if checkout.shipping_address_id else None,
            "address_form": address_form or _address_form(checkout),
            "saved_addresses": _saved_addresses(request, checkout),
            "contact_form": contact_form or _contact_form(request, checkout),
            "parcels": _parcel_choices(checkout, summary),
            "methods": payment_methods(summary.currency),
            "idempotency_key": services.new_idempotency_key(),
            "perishable": perishable,
            "place_errors": place_errors or [],
            "blocking": [p for p in summary.problems if p.code != "empty"],
            "price_changed": any(p.code == "price_changed" for p in summary.problems),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    """One page, several small forms (no JavaScript): destination, contact and address, a
    delivery per shop, then the summary with the payment method and the order button."""
    found = _checkout_or_cart(request)
    if isinstance(found, HttpResponse):
        return found
    checkout = found
    if request.method != "POST":
        return _render_checkout(request, checkout)
    action = request.POST.get("action", "")
    try:
        if action == "country":
            for message in services.set_country(checkout, request.POST.get("country", "")):
                messages.warning(request, message)
        elif action == "address":
            return _save_address(request, checkout)
        elif action == "saved_address":
            _use_saved_address(request, checkout)
        elif action == "delivery":
            _save_deliveries(request, checkout)
        elif action == "prices":
            services.accept_prices(checkout)
    except ValidationError as exc:
        _report(request, exc)
    return redirect("storefront:checkout")


def _save_address(request: HttpRequest, checkout: Checkout) -> HttpResponse:
    """Contact and address together: both are checked before either is written."""
    contact = _contact_form(request, checkout, request.POST)
    form = _address_form(checkout, request.POST)
    contact_ok, address_ok = contact.is_valid(), form.is_valid()
    if contact_ok:
        try:
            services.set_contact(
                checkout,
                email=contact.cleaned_data["email"] or "",
                phone=contact.cleaned_data["phone"] or "",
            )
        except ValidationError as exc:
            for field, errors in errors_by_field(exc).items():
                contact.add_error(field if field in contact.fields else None, errors)
            contact_ok = False
    if not (contact_ok and address_ok):
        return _render_checkout(
            request, checkout, address_form=form, contact_form=contact, status=400
        )
    address = form.save(request.user)
    for message in services.set_address(checkout, address):
        messages.warning(request, message)
    return redirect(reverse("storefront:checkout") + "#pengiriman")


def _use_saved_address(request: HttpRequest, checkout: Checkout) -> None:
    """Ship to one of the buyer's saved addresses (``set_address`` refuses anyone else's)."""
    address = addresses_of(request.user).filter(pk=_int(request.POST.get("address")) or 0).first()
    if address is None:
        raise ValidationError(_("Choose one of your addresses."))
    for message in services.set_address(checkout, address):
        messages.warning(request, message)


def _save_deliveries(request: HttpRequest, checkout: Checkout) -> None:
    shops = {parcel.shop.pk: parcel.shop for parcel in summarise(checkout).parcels}
    for shop_id, shop in shops.items():
        code = request.POST.get(f"pengiriman-{shop_id}")
        if code:
            services.set_delivery(checkout, shop, code)


def _own_checkout(request: HttpRequest, token: str) -> Checkout:
    """The checkout named by the order form, if it is this buyer's (open or just placed)."""
    try:
        found = Checkout.objects.filter(token=token).first()
    except ValidationError:
        found = None
    if found is None:
        raise Http404
    if found.user_id is not None:
        if found.user_id != request.user.pk:
            raise Http404
    elif request.session.get(SESSION_KEY) != str(found.token):
        raise Http404
    return found


@require_POST
def place_order(request: HttpRequest) -> HttpResponse:
    """The order button. The same idempotency key (or an already placed checkout) answers the
    first payment: one set of orders whatever the number of clicks."""
    found = _own_checkout(request, request.POST.get("checkout", ""))
    try:
        payment = services.complete_checkout(
            found,
            method=request.POST.get("method", ""),
            idempotency_key=request.POST.get("idempotency_key", ""),
            user=request.user,
            accept_terms=request.POST.get("accept_terms") == "on",
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        if found.completed_at is not None:
            raise Http404 from exc
        return _render_checkout(request, found, place_errors=exc.messages, status=400)
    found.refresh_from_db()
    if payment.method == PaymentMethod.DEMO and payment.status == PaymentStatus.PENDING:
        try:
            payment_services.start_payment(payment)
        except ValidationError as exc:
            _report(request, exc)
    set_cart_count(request, None)
    token = found.token if found.payment_id == payment.pk else _token_of(payment)
    return redirect("storefront:payment", token=token)


def _token_of(payment: Payment) -> str:
    placed = Checkout.objects.filter(payment=payment).values_list("token", flat=True).first()
    if placed is None:
        raise Http404
    return str(placed)


# --- payment --------------------------------------------------------------------------------


def _placed(token: Any) -> tuple[Checkout, Payment, list[Order]]:
    """The placed checkout named by its unguessable token, its payment and orders.

    The token is the capability (a guest has no account): it is only ever shown to the buyer who
    placed the order, on the page they are redirected to.
    """
    found = get_object_or_404(
        Checkout.objects.select_related("payment"),
        token=token,
        completed_at__isnull=False,
        payment__isnull=False,
    )
    payment = found.payment
    assert payment is not None
    orders = list(
        payment.orders.select_related("shop")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .order_by("pk")
    )
    return found, payment, orders


class ProofForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Photo or PDF of the transfer receipt"))


@require_http_methods(["GET", "HEAD"])
def payment(request: HttpRequest, token: Any) -> HttpResponse:
    """How to pay: transfer instructions and the receipt upload, the card form, or the demo."""
    found, pay, orders = _placed(token)
    return _render_payment(request, found, pay, orders)


def _render_payment(
    request: HttpRequest,
    found: Checkout,
    pay: Payment,
    orders: list[Order],
    *,
    proof_form: ProofForm | None = None,
    status: int = 200,
) -> HttpResponse:
    start: dict[str, Any] = {}
    error = ""
    if pay.status == PaymentStatus.PENDING and pay.method != PaymentMethod.DEMO:
        try:
            start = payment_services.start_payment(pay)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "storefront/checkout/payment.html",
        {
            "checkout": found,
            "payment": pay,
            "orders": orders,
            "order_links": {o.pk: order_url(o) for o in orders},
            "start": start,
            "error": error,
            "proof_form": proof_form or ProofForm(),
            "proofs": list(pay.proofs.order_by("-uploaded_at")[:3])
            if pay.method == PaymentMethod.BANK_TRANSFER
            else [],
            # Back from Stripe's confirmation before its webhook reached us: "confirming…".
            "confirming": pay.status == PaymentStatus.PENDING
            and request.GET.get("redirect_status") == "succeeded",
            "return_url": request.build_absolute_uri(
                reverse("storefront:payment", kwargs={"token": found.token})
            ),
        },
        status=status,
    )


@require_POST
def payment_proof(request: HttpRequest, token: Any) -> HttpResponse:
    """The buyer uploads the bank's receipt; an operator confirms against the statement."""
    found, pay, orders = _placed(token)
    form = ProofForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            payment_services.upload_transfer_proof(
                pay, form.cleaned_data["file"], actor=request.user, guest_holds_link=True
            )
        except PermissionDenied:
            form.add_error(None, _("Sign in with the account that placed the order to upload."))
        except ValidationError as exc:
            for field, errors in errors_by_field(exc).items():
                form.add_error("file" if field == "file" else None, errors)
        else:
            messages.success(
                request, _("Thank you: we check your transfer and tell you when it is confirmed.")
            )
            return redirect("storefront:payment", token=found.token)
    return _render_payment(request, found, pay, orders, proof_form=form, status=400)
