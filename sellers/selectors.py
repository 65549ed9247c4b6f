"""Reads about shops, for seller, facilitator and operator pages.

Each function returns what its page shows with the related rows loaded in bulk, so a page costs the
same number of queries for 1 row or 100 (the tests pin it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.audit.selectors import entries_about
from marketplace.catalog.models import Product, ProductStatus, ProhibitedTerm
from marketplace.core import permissions
from marketplace.regions.models import Region, RegionLevel, VillageHall

from .models import (
    FacilitatorConsent,
    MemberRole,
    Shop,
    ShopBankAccount,
    ShopMembership,
    ShopStatus,
)


def shops() -> QuerySet[Shop]:
    return Shop.objects.select_related("village", "village_hall")


def memberships_of(user: User) -> QuerySet[ShopMembership]:
    """The shops a user belongs to, for their "My shop" page."""
    return (
        ShopMembership.objects.filter(user=user)
        .select_related("shop", "shop__village")
        .order_by("shop__name", "shop__pk")
    )


def nav_flags(user: Any) -> tuple[bool, bool]:
    """(has a shop, is a facilitator) in one query: it runs on every page a signed-in user sees."""
    if not getattr(user, "is_authenticated", False):
        return False, False
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_shop=Exists(ShopMembership.objects.filter(user=OuterRef("pk"))),
            facilitates=Exists(
                VillageHall.facilitators.through.objects.filter(user=OuterRef("pk"))
            ),
        )
        .values_list("has_shop", "facilitates")
        .first()
    )
    return (bool(row[0]), bool(row[1])) if row else (False, False)


def village_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Villages grouped by district, for a ``<select>`` with ``<optgroup>`` (works without JS)."""
    villages = (
        Region.objects.filter(level=RegionLevel.VILLAGE)
        .select_related("parent")
        .order_by("parent__name", "name")
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for village in villages:
        district = village.parent.display_name if village.parent else ""
        groups.setdefault(district, []).append((str(village.pk), village.display_name))
    return list(groups.items())


def village(pk: Any) -> Region | None:
    try:
        return Region.objects.filter(level=RegionLevel.VILLAGE, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def village_halls() -> QuerySet[VillageHall]:
    return VillageHall.objects.order_by("name")


def bank_account_for(viewer: Any, shop: Shop) -> ShopBankAccount | None:
    """The shop's bank account if ``viewer`` may see it (owner, operators), else ``None``."""
    if not permissions.can_view_shop_bank_account(viewer, shop):
        return None
    return ShopBankAccount.objects.filter(shop=shop).first()


def missing_for_submission(shop: Shop) -> dict[str, str]:
    """What a draft still needs before operators can review it: field -> what to do."""
    missing: dict[str, str] = {}
    if not shop.whatsapp:
        missing["whatsapp"] = _("Add a WhatsApp number buyers can write to.")
    if not shop.nib:
        missing["nib"] = _("Add your NIB (business identification number).")
    if not ShopBankAccount.objects.filter(shop=shop).exists():
        missing["bank_account"] = _("The owner adds the bank account for payouts.")
    return missing


def members(shop: Shop) -> QuerySet[ShopMembership]:
    """Owner(s) first, then staff in the order they joined."""
    return (
        ShopMembership.objects.filter(shop=shop)
        .select_related("user")
        .order_by("role", "created_at", "pk")  # "owner" sorts before "staff"
    )


def consents(shop: Shop) -> QuerySet[FacilitatorConsent]:
    """Every consent the shop gave, standing ones first, revoked ones kept as history."""
    return (
        FacilitatorConsent.objects.filter(shop=shop)
        .select_related("facilitator", "granted_by")
        .order_by("revoked_at", "-granted_at", "-pk")
    )


def assisted_shops(facilitator: User) -> QuerySet[Shop]:
    """The shops a facilitator may act for now (standing consent)."""
    return (
        Shop.objects.filter(
            facilitator_consents__facilitator=facilitator,
            facilitator_consents__revoked_at__isnull=True,
        )
        .select_related("village")
        .order_by("name", "pk")
    )


# --- History ------------------------------------------------------------------------------------

#: How the seller's history page says what happened. Unknown actions show their code.
ACTION_LABELS: dict[str, Any] = {
    "shop.created": gettext_lazy("opened the shop"),
    "shop.changed": gettext_lazy("changed the shop details"),
    "shop.logo_changed": gettext_lazy("changed the logo"),
    "shop.logo_removed": gettext_lazy("removed the logo"),
    "shop.bank_account_changed": gettext_lazy("changed the bank account"),
    "shop.submitted": gettext_lazy("submitted the shop for review"),
    "shop.approved": gettext_lazy("approved the shop"),
    "shop.returned_to_draft": gettext_lazy("sent the shop back to draft"),
    "shop.suspended": gettext_lazy("suspended the shop"),
    "shop.member_added": gettext_lazy("added a member"),
    "shop.member_removed": gettext_lazy("removed a member"),
    "shop.consent_granted": gettext_lazy("let a facilitator help"),
    "shop.consent_revoked": gettext_lazy("ended a facilitator's consent"),
    "product.created": gettext_lazy("added the listing"),
    "product.changed": gettext_lazy("changed the listing"),
    "product.published": gettext_lazy("published the listing"),
    "product.archived": gettext_lazy("archived the listing"),
    "product.removed": gettext_lazy("removed the listing"),
    "product.restored": gettext_lazy("restored the listing"),
    "product.reviewed": gettext_lazy("reviewed the listing"),
    "variant.created": gettext_lazy("added a variant"),
    "variant.changed": gettext_lazy("changed a variant"),
    "variant.deleted": gettext_lazy("deleted a variant"),
    "stock.changed": gettext_lazy("changed the stock"),
    "payout.paid": gettext_lazy("paid out the shop's balance"),
    "payout.failed": gettext_lazy("recorded a failed payout"),
}

ROLE_LABELS: dict[str, Any] = {
    MemberRole.OWNER: gettext_lazy("owner"),
    MemberRole.STAFF: gettext_lazy("staff"),
    "facilitator": gettext_lazy("facilitator"),
    "operator": gettext_lazy("operator"),
}


@dataclass(frozen=True)
class HistoryRow:
    entry: AuditEntry
    actor: str
    role: str
    what: str
    #: The subject when it is not the shop itself (a listing's title, a member's name).
    subject: str
    reason: str


def shop_history(shop: Shop) -> QuerySet[AuditEntry]:
    """Everything done to the shop or on its behalf, newest first (paginate it)."""
    return entries_about(shop).order_by("-created_at", "-pk")


def history_rows(shop: Shop, entries: list[AuditEntry]) -> list[HistoryRow]:
    """Say who did what, and in which role, in two queries whatever the page size."""
    roles: dict[int, str] = dict(
        ShopMembership.objects.filter(shop=shop).values_list("user_id", "role")
    )
    facilitators = set(
        FacilitatorConsent.objects.filter(shop=shop).values_list("facilitator_id", flat=True)
    )
    rows = []
    for entry in entries:
        actor = entry.actor
        if actor is None:
            name, role = _("Pasar Kampung"), ""
        else:
            name = str(actor)
            if actor.pk in roles:
                role = str(ROLE_LABELS[roles[actor.pk]])
            elif actor.pk in facilitators:
                role = str(ROLE_LABELS["facilitator"])
            elif actor.is_staff:
                role = str(ROLE_LABELS["operator"])
            else:
                role = ""
        data = entry.data or {}
        subject = data.get("member") or data.get("facilitator") or ""
        if not subject and entry.object_repr != shop.name and not entry.action.startswith("shop."):
            subject = entry.object_repr
        rows.append(
            HistoryRow(
                entry=entry,
                actor=name,
                role=role,
                what=str(ACTION_LABELS.get(entry.action, entry.action)),
                subject=str(subject),
                reason=str(data.get("reason") or ""),
            )
        )
    return rows


# --- Moderation ---------------------------------------------------------------------------------


def shops_for_moderation(status: str = ShopStatus.SUBMITTED) -> QuerySet[Shop]:
    """The shops in one status; the submitted queue is oldest first, so nobody waits forever."""
    qs = Shop.objects.filter(status=status).select_related(
        "village", "village__parent", "village_hall"
    )
    if status == ShopStatus.SUBMITTED:
        return qs.order_by("submitted_at", "pk")
    return qs.order_by("-status_changed_at", "-pk")


def shop_status_counts() -> dict[str, int]:
    from django.db.models import Count

    counts = {status: 0 for status in ShopStatus.values}
    for row in Shop.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def removed_products() -> QuerySet[Product]:
    """Listings an operator removed, newest first, for restoring a mistaken removal."""
    return (
        Product.objects.filter(status=ProductStatus.REMOVED)
        .select_related("shop", "category")
        .order_by("-updated_at", "-pk")
    )


def prohibited_terms() -> QuerySet[ProhibitedTerm]:
    return ProhibitedTerm.objects.order_by("term")


def shops_readable_by(user: Any) -> QuerySet[Shop]:
    """Approved shops for everyone, plus the shops ``user`` manages; operators read all."""
    if permissions.is_operator(user):
        return Shop.objects.all()
    approved = Q(status=ShopStatus.APPROVED)
    if not getattr(user, "is_authenticated", False):
        return Shop.objects.filter(approved)
    return Shop.objects.filter(approved | Q(pk__in=permissions.manageable_shops(user).values("pk")))
