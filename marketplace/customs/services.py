"""Writes for customs: the Safety Gate's removal of a listing from the EU market, and its lifting.

An operator acting on an EU Safety Gate alert or a border rejection takes the listing off the EU
market at once, with a reason the seller reads; it stays on sale in Indonesia. The block is a row
of its own (``EuMarketBlock``, kept when lifted) rather than a catalog field, and the readiness
check reads ``selectors.is_eu_blocked``. ``ships_to_eu`` is switched off too, so every page that
only knows the catalog already hides the listing from EU buyers.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit.services import record
from marketplace.catalog.models import Product
from marketplace.core import events, permissions

from .models import EuMarketBlock


@transaction.atomic
def block_for_eu(product: Product, *, reason: str, actor: Any) -> EuMarketBlock:
    """Remove ``product`` from the EU market; a second block while one stands is refused."""
    permissions.require(permissions.can_moderate, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give the reason the seller will read."), code="required")}
        )
    product = Product.objects.select_for_update().get(pk=product.pk)
    if EuMarketBlock.objects.filter(product=product, lifted_at__isnull=True).exists():
        raise ValidationError(
            _("This listing is already removed from the EU market."), code="already_blocked"
        )
    block = EuMarketBlock.objects.create(product=product, reason=reason, by=actor)
    if product.ships_to_eu:
        product.ships_to_eu = False
        product.save(update_fields=["ships_to_eu"])
    record(
        actor,
        "product.eu_blocked",
        product,
        on_behalf_of=product.shop,
        data={"reason": reason, "block_id": block.pk},
    )
    events.emit("product.changed", product_id=product.pk)
    return block


@transaction.atomic
def lift_eu_block(block: EuMarketBlock, *, actor: Any) -> EuMarketBlock:
    """End a block: the listing may go back to the EU once the readiness check agrees."""
    permissions.require(permissions.can_moderate, actor)
    block = (
        EuMarketBlock.objects.select_for_update().select_related("product__shop").get(pk=block.pk)
    )
    if block.lifted_at is None:
        block.lifted_at, block.lifted_by = timezone.now(), actor
        block.save(update_fields=["lifted_at", "lifted_by"])
        record(actor, "product.eu_unblocked", block.product, on_behalf_of=block.product.shop)
        events.emit("product.changed", product_id=block.product_id)
    return block
