"""The daily expiry warning: a seller hears about a certificate 30 days before it stops counting.

Once per document (``warned_at``), to the shop's owner, in the owner's language, so an expired lab
report never silently takes a coffee off the EU market. A shop without an owner with an e-mail
address is skipped (and warned when one exists); the row is marked only when a mail was queued.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from marketplace.core.tasks import send_email
from sellers.models import MemberRole, ShopMembership

from . import selectors
from .models import ExportDocument

WARN_DAYS = 30


@shared_task
def warn_expiring_documents() -> int:
    """E-mail each shop owner about documents expiring within 30 days; returns how many."""
    sent = 0
    for document in selectors.expiring_documents(WARN_DAYS):
        owner = (
            ShopMembership.objects.filter(shop_id=document.shop_id, role=MemberRole.OWNER)
            .exclude(user__email="")
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if owner is None or not owner.user.email:
            continue
        user = owner.user
        email: str = owner.user.email
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("%(kind)s %(number)s expires on %(date)s") % {
                "kind": document.get_kind_display(),
                "number": document.number,
                "date": document.valid_until,
            }
            body = render_to_string(
                "documents/expiry_warning.txt", {"document": document, "user": user}
            )
        # Mark first, in its own row update: a retried task must not mail twice.
        if ExportDocument.objects.filter(pk=document.pk, warned_at__isnull=True).update(
            warned_at=timezone.now()
        ):
            send_email.delay(subject, body, [email], None, settings.DEFAULT_FROM_EMAIL)
            sent += 1
    return sent
