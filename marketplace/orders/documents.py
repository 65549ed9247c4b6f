"""Papers that go with a parcel: the ship-to address as written on a label, and the packing slip.

The address comes from the order's snapshot (``Order.shipping_address``), never from the buyer's
current address book: the parcel goes where the buyer asked when they paid. It is formatted by
``addresses.Address.lines``, the one rule for how an Indonesian or EU address is written, applied
to an unsaved ``Address`` built from the snapshot.

The packing slip is a PDF (WeasyPrint, like the training certificates) that a seller prints or
shows at the courier's counter. EU parcels also list each line's HS code and say that a CN23
customs declaration must be filled in, because Pos Indonesia will not accept an EU parcel without
one and a village seller should not learn that at the counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from marketplace.addresses.models import Address

from .models import Order, OrderLine

#: The snapshot keys that are ``Address`` fields (the snapshot also keeps ``village_code``).
_ADDRESS_FIELDS = (
    "country",
    "full_name",
    "phone",
    "street",
    "line2",
    "rt_rw",
    "district",
    "regency",
    "province_code",
    "province",
    "city",
    "region",
    "postal_code",
)


def ship_to_lines(order: Order) -> list[str]:
    """The ship-to address, one line per item, empty lines dropped; plus the phone for the courier.

    An order without an address snapshot (orders placed before addresses existed) gives the
    buyer's e-mail or phone only, so the page still renders.
    """
    snapshot: dict[str, Any] = order.shipping_address or {}
    if not snapshot.get("country"):
        return [line for line in (order.email, order.phone) if line]
    fields = {key: str(snapshot.get(key) or "") for key in _ADDRESS_FIELDS}
    address = Address(**fields, village_name=str(snapshot.get("village") or ""))
    lines = [line for line in address.lines() if line]
    phone = fields["phone"] or order.phone
    if phone:
        lines.append(phone)
    return lines


def recipient_name(order: Order) -> str:
    """Who the parcel is for: the name on the address, else the buyer's account name."""
    name = str((order.shipping_address or {}).get("full_name") or "")
    if not name and order.buyer is not None:
        name = str(getattr(order.buyer, "full_name", "") or "")
    return name or order.email or order.phone


@dataclass(frozen=True)
class SlipLine:
    line: OrderLine
    #: Units still to send (refunded units are not packed).
    quantity: int
    weight_grams: int


def slip_lines(order: Order) -> list[SlipLine]:
    """The lines to pack, with what is left after refunds and each line's weight."""
    out = []
    for line in order.lines.all():
        quantity = line.quantity - line.quantity_refunded
        if quantity > 0:
            out.append(SlipLine(line, quantity, line.weight_grams * quantity))
    return out


def parcel_weight(order: Order, lines: list[SlipLine]) -> int:
    """The parcel weight checkout priced (with packaging), else the lines' weight."""
    return order.weight_grams or sum(row.weight_grams for row in lines)


def packing_slip_html(order: Order) -> str:
    """The slip as HTML, in the active language (the seller's)."""
    lines = slip_lines(order)
    return render_to_string(
        "orders/packing_slip.html",
        {
            "order": order,
            "shop": order.shop,
            "recipient": recipient_name(order),
            "ship_to": ship_to_lines(order),
            "lines": lines,
            "weight_grams": parcel_weight(order, lines),
            "needs_customs": order.is_eu,
            "printed_at": timezone.now(),
        },
    )


def packing_slip_pdf(order: Order) -> bytes:
    """The packing slip as PDF bytes (A5 fits the counter and the box)."""
    from weasyprint import HTML

    return bytes(HTML(string=packing_slip_html(order)).write_pdf())
