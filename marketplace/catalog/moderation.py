"""Operators' writes to the prohibited-goods list (``ProhibitedTerm``).

Listing moderation itself (``mark_reviewed``, ``remove_product``, ``restore_product``) lives in
``catalog.services``; this module keeps the list that ``publish_product`` screens against. The
operator pages are in ``sellers.moderation``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.audit.services import record
from marketplace.core import permissions

from .models import ProhibitedTerm


@transaction.atomic
def add_prohibited_term(operator: Any, term: str, reason: str) -> ProhibitedTerm:
    """Add a word or phrase listings may not contain. Matching ignores case, so must uniqueness."""
    permissions.require(permissions.can_moderate, operator)
    term = " ".join((term or "").split())
    reason = " ".join((reason or "").split())
    errors: dict[str, list[ValidationError]] = {}
    if not term:
        errors["term"] = [ValidationError(_("Enter a word or phrase."), code="required")]
    elif len(term) > 100:
        errors["term"] = [ValidationError(_("At most 100 characters."), code="max_length")]
    elif ProhibitedTerm.objects.filter(term__iexact=term).exists():
        errors["term"] = [ValidationError(_("This word is already on the list."), code="duplicate")]
    if not reason:
        errors["reason"] = [
            ValidationError(_("Say why it is prohibited; sellers will read it."), code="required")
        ]
    elif len(reason) > 200:
        errors["reason"] = [ValidationError(_("At most 200 characters."), code="max_length")]
    if errors:
        raise ValidationError(errors)
    prohibited = ProhibitedTerm.objects.create(term=term, reason=reason)
    record(operator, "prohibited_term.added", prohibited, data={"reason": reason})
    return prohibited


@transaction.atomic
def delete_prohibited_term(operator: Any, prohibited: ProhibitedTerm) -> None:
    permissions.require(permissions.can_moderate, operator)
    record(operator, "prohibited_term.deleted", prohibited, data={"term": prohibited.term})
    prohibited.delete()
