"""Writes about shops: onboarding, settings, bank account, members, facilitator consent, moderation.

Web pages (and later GraphQL) call these functions, so each rule is written once. Every function
checks its permission rule (``marketplace.core.permissions``), validates *everything* before it
writes (a refused step saves nothing), writes in one transaction and records an audit entry on
behalf of the shop, so the seller sees what a facilitator or an operator did. Validation errors are
``ValidationError`` dicts keyed by the field they are about, with a ``code`` for API clients.
"""

from __future__ import annotations

import enum
import re
from io import BytesIO
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.accounts.models import User
from marketplace.accounts.phone import normalise_phone
from marketplace.accounts.selectors import user_by_login
from marketplace.audit.services import record
from marketplace.core import events, permissions
from marketplace.core.text import sanitise_html
from marketplace.regions.models import Region, RegionLevel, VillageHall

from . import selectors
from .banks import BANKS_BY_CODE
from .models import (
    FacilitatorConsent,
    MemberRole,
    Shop,
    ShopBankAccount,
    ShopMembership,
    ShopStatus,
)

#: Words that may not be a shop's slug: ``/penjual/<slug>/`` would collide with a seller page.
RESERVED_SLUGS = frozenset({"buka-toko", "baru", "fasilitator", "moderasi", "admin", "api"})

MAX_LOGO_BYTES = 5 * 1024 * 1024
#: Refuse images that would take too much memory to decode (a "decompression bomb").
MAX_LOGO_PIXELS = 40_000_000
#: Logos are shown small; a 600 px square is plenty and cheap on a slow link.
LOGO_SIZE = 600
LOGO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class _Unchanged(enum.Enum):
    TOKEN = 0


#: Default of ``update_shop``'s arguments: leave this field as it is.
UNCHANGED: Literal[_Unchanged.TOKEN] = _Unchanged.TOKEN


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _audit(actor: Any, action: str, obj: Any, shop: Shop, **data: Any) -> None:
    record(actor, action, obj, on_behalf_of=shop, data=data or None)


# --- Validation: each returns the clean value or raises a ValidationError keyed by its field ---


def clean_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise _error("name", _("Enter the name of your shop."), "required")
    if len(name) > 120:
        raise _error("name", _("A shop name has at most 120 characters."), "max_length")
    return name


def clean_village(village: Region | None) -> Region:
    if village is None or village.level != RegionLevel.VILLAGE:
        raise _error("village", _("Choose your village from the list."), "invalid_village")
    return village


def clean_whatsapp(raw: str) -> str:
    """An empty number is allowed while the shop is a draft; ``submit_shop`` requires one."""
    if not (raw or "").strip():
        return ""
    try:
        return normalise_phone(raw)
    except ValidationError as exc:
        raise _error(
            "whatsapp",
            _("Enter a valid WhatsApp number, for example 0812 3456 7890."),
            "invalid_phone",
        ) from exc


def clean_nib(raw: str) -> str:
    """13 digits; spaces, dots and dashes people type between groups are dropped."""
    text = re.sub(r"[\s.\-]", "", raw or "")
    if not text:
        return ""
    if not text.isdigit() or not text.isascii():
        raise _error("nib", _("An NIB has only digits (13 of them)."), "invalid_nib")
    if len(text) != 13:
        raise _error(
            "nib",
            _("An NIB has exactly 13 digits; you entered %(n)d.") % {"n": len(text)},
            "invalid_nib",
        )
    return text


def clean_bank_account(
    bank_code: str, account_number: str, holder_name: str
) -> tuple[str, str, str]:
    errors: dict[str, list[ValidationError]] = {}
    code = (bank_code or "").strip()
    if code not in BANKS_BY_CODE:
        errors["bank_code"] = [
            ValidationError(_("Choose your bank from the list."), code="unknown_bank")
        ]
    number = re.sub(r"[\s.\-]", "", account_number or "")
    if not number:
        errors["account_number"] = [
            ValidationError(_("Enter the account number."), code="required")
        ]
    elif not (number.isdigit() and number.isascii() and 5 <= len(number) <= 20):
        errors["account_number"] = [
            ValidationError(
                _("An account number has only digits, 5 to 20 of them."),
                code="invalid_account_number",
            )
        ]
    holder = " ".join((holder_name or "").split())
    if not holder:
        errors["holder_name"] = [
            ValidationError(
                _("Enter the name of the account holder, as the bank writes it."), code="required"
            )
        ]
    elif len(holder) > 120:
        errors["holder_name"] = [
            ValidationError(_("A name has at most 120 characters."), code="max_length")
        ]
    if errors:
        raise ValidationError(errors)
    return code, number, holder


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120].strip("-") or "toko"
    if base in RESERVED_SLUGS:
        base = f"toko-{base}"
    slug, n = base, 1
    while Shop.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- Onboarding and settings ---------------------------------------------------------------------


@transaction.atomic
def create_shop(actor: User, name: str, village: Region | None) -> Shop:
    """Open a draft shop owned by ``actor`` (onboarding step 1).

    The slug is made from the name once and never changes: links to the shop keep working after it
    is renamed. The village's hall, if it has one, is preselected as the shop's hall. The same owner
    sending the same name and village again gets the draft they already have.
    """
    permissions.require(permissions.is_authenticated, actor)
    errors: dict[str, list[ValidationError]] = {}
    clean_name_ = clean_village_ = None
    try:
        clean_name_ = clean_name(name)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        clean_village_ = clean_village(village)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors or clean_name_ is None or clean_village_ is None:
        raise ValidationError(errors)
    # A second tap on "Save" over a slow link must not open a second shop.
    existing = Shop.objects.filter(
        status=ShopStatus.DRAFT,
        name=clean_name_,
        village=clean_village_,
        memberships__user=actor,
        memberships__role=MemberRole.OWNER,
    ).first()
    if existing is not None:
        return existing
    hall = VillageHall.objects.filter(village=clean_village_).first()
    shop = Shop.objects.create(
        name=clean_name_,
        slug=_unique_slug(clean_name_),
        village=clean_village_,
        village_hall=hall,
        status=ShopStatus.DRAFT,
    )
    ShopMembership.objects.create(shop=shop, user=actor, role=MemberRole.OWNER)
    _audit(actor, "shop.created", shop, shop)
    return shop


@transaction.atomic
def update_shop(
    actor: Any,
    shop: Shop,
    *,
    name: str | Literal[_Unchanged.TOKEN] = UNCHANGED,
    village: Region | Literal[_Unchanged.TOKEN] | None = UNCHANGED,
    village_hall: VillageHall | Literal[_Unchanged.TOKEN] | None = UNCHANGED,
    story: str | Literal[_Unchanged.TOKEN] = UNCHANGED,
    whatsapp: str | Literal[_Unchanged.TOKEN] = UNCHANGED,
    nib: str | Literal[_Unchanged.TOKEN] = UNCHANGED,
    logo: File[Any] | Literal[_Unchanged.TOKEN] | None = UNCHANGED,
) -> Shop:
    """Change a shop's profile; arguments left ``UNCHANGED`` are not touched (``logo=None`` removes
    the logo).

    All given fields are validated first; one bad field refuses the whole change, so a seller on a
    slow link never ends up with half a step saved.
    """
    permissions.require(permissions.can_manage_shop, actor, shop)
    errors: dict[str, list[ValidationError]] = {}
    new: dict[str, Any] = {}

    def take(key: str, fn: Any, value: Any) -> None:
        try:
            new[key] = fn(value)
        except ValidationError as exc:
            errors.update(exc.error_dict)

    if name is not UNCHANGED:
        take("name", clean_name, name)
    if village is not UNCHANGED:
        take("village", clean_village, village)
    if village_hall is not UNCHANGED:
        new["village_hall"] = village_hall
    if story is not UNCHANGED:
        take("story", _clean_story, story)
    if whatsapp is not UNCHANGED:
        take("whatsapp", clean_whatsapp, whatsapp)
    if nib is not UNCHANGED:
        take("nib", clean_nib, nib)
    new_logo: tuple[ContentFile[bytes], str] | None = None
    if logo is not UNCHANGED and logo is not None:
        try:
            new_logo = _clean_logo(logo)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    changed = [key for key, value in new.items() if getattr(shop, key) != value]
    for key in changed:
        setattr(shop, key, new[key])
    if changed:
        shop.save(update_fields=[*changed, "updated_at"])
        _audit(actor, "shop.changed", shop, shop, fields=sorted(changed))
        events.emit("shop.changed", shop_id=shop.pk, fields=sorted(changed))
    if new_logo is not None:
        _store_logo(actor, shop, new_logo)
    elif logo is None and shop.logo:
        _store_logo(actor, shop, None)
    return shop


def _clean_story(raw: str) -> str:
    story = sanitise_html(raw or "")
    if len(story) > 10_000:
        raise _error("story", _("The story is too long (at most 10,000 characters)."), "max_length")
    return story


def _clean_logo(upload: File[Any]) -> tuple[ContentFile[bytes], str]:
    """Decode the upload with Pillow and re-encode it small, which drops EXIF (GPS, camera).

    Re-encoding, rather than trusting the file, is also what makes an uploaded "image" safe to
    serve: only pixels survive.
    """
    invalid = _error("logo", _("Upload a photo or picture (JPEG, PNG or WebP)."), "invalid_image")
    if upload.size is not None and upload.size > MAX_LOGO_BYTES:
        raise _error("logo", _("The picture is too large (at most 5 MB)."), "file_too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            if img.format not in LOGO_FORMATS:
                raise invalid
            width, height = img.size
            if width * height > MAX_LOGO_PIXELS:
                raise invalid
            img.load()
            picture = ImageOps.exif_transpose(img) or img
            picture.thumbnail((LOGO_SIZE, LOGO_SIZE))
            has_alpha = picture.mode in ("RGBA", "LA") or (
                picture.mode == "P" and "transparency" in picture.info
            )
            out = BytesIO()
            if has_alpha:
                picture.convert("RGBA").save(out, "PNG", optimize=True)
                extension = "png"
            else:
                picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
                extension = "jpg"
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise invalid from exc
    return ContentFile(out.getvalue()), extension


def _store_logo(actor: Any, shop: Shop, logo: tuple[ContentFile[bytes], str] | None) -> None:
    """Write the re-encoded logo (or remove it); the old file is deleted once the change commits."""
    old_name = shop.logo.name if shop.logo else ""
    storage = shop.logo.storage
    if logo is not None:
        content, extension = logo
        shop.logo.save(f"{shop.slug}.{extension}", content, save=False)
    else:
        shop.logo = None
    shop.save(update_fields=["logo", "updated_at"])
    _audit(actor, "shop.logo_changed" if logo else "shop.logo_removed", shop, shop)
    new_name = shop.logo.name if shop.logo else ""
    if old_name and old_name != new_name:
        transaction.on_commit(lambda: storage.delete(old_name))


def set_shop_logo(actor: Any, shop: Shop, upload: File[Any] | None) -> Shop:
    """Replace the shop's logo (``None`` removes it)."""
    return update_shop(actor, shop, logo=upload)


@transaction.atomic
def set_bank_account(
    actor: Any, shop: Shop, *, bank_code: str, account_number: str, holder_name: str
) -> ShopBankAccount:
    """Set where payouts go. The owner alone: nobody else may redirect a shop's money."""
    permissions.require(permissions.is_shop_owner, actor, shop)
    code, number, holder = clean_bank_account(bank_code, account_number, holder_name)
    account, _created = ShopBankAccount.objects.update_or_create(
        shop=shop,
        defaults={
            "bank_code": code,
            "account_number": number,
            "holder_name": holder,
            "updated_by": actor,
        },
    )
    # The entry names the bank and the last digits only: the log is read by more people.
    _audit(actor, "shop.bank_account_changed", account, shop, bank=code, last_digits=number[-4:])
    return account


@transaction.atomic
def save_business_details(
    actor: Any,
    shop: Shop,
    *,
    nib: str,
    bank_code: str | None = None,
    account_number: str = "",
    holder_name: str = "",
) -> Shop:
    """Onboarding step 3: the NIB and, when the owner fills it in, the bank account, together.

    Both are validated before either is written, and the errors of both come back at once.
    ``bank_code=None`` leaves the bank account alone (staff and facilitators never send one).
    """
    permissions.require(permissions.can_manage_shop, actor, shop)
    errors: dict[str, list[ValidationError]] = {}
    try:
        clean_nib(nib)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if bank_code is not None:
        permissions.require(permissions.is_shop_owner, actor, shop)
        try:
            clean_bank_account(bank_code, account_number, holder_name)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    update_shop(actor, shop, nib=nib)
    if bank_code is not None:
        set_bank_account(
            actor,
            shop,
            bank_code=bank_code,
            account_number=account_number,
            holder_name=holder_name,
        )
    return shop


@transaction.atomic
def submit_shop(actor: Any, shop: Shop) -> Shop:
    """Onboarding's last step: a complete draft goes to the operators' queue."""
    permissions.require(permissions.can_manage_shop, actor, shop)
    locked = Shop.objects.select_for_update().get(pk=shop.pk)
    if locked.status != ShopStatus.DRAFT:
        raise ValidationError(_("This shop has already been submitted."), code="invalid_transition")
    missing = selectors.missing_for_submission(locked)
    if missing:
        raise ValidationError(
            {key: ValidationError(message, code="required") for key, message in missing.items()}
        )
    now = timezone.now()
    Shop.objects.filter(pk=shop.pk).update(
        status=ShopStatus.SUBMITTED, submitted_at=now, status_changed_at=now, updated_at=now
    )
    shop.status, shop.submitted_at, shop.status_changed_at = ShopStatus.SUBMITTED, now, now
    _audit(actor, "shop.submitted", shop, shop)
    events.emit("shop.submitted", shop_id=shop.pk)
    return shop


# --- Moderation (operators) ----------------------------------------------------------------------

#: decision -> (new status, statuses it may come from, whether a reason is required, audit action)
DECISIONS: dict[str, tuple[str, frozenset[str], bool, str]] = {
    "approve": (
        ShopStatus.APPROVED,
        frozenset({ShopStatus.SUBMITTED, ShopStatus.SUSPENDED}),
        False,
        "shop.approved",
    ),
    "draft": (
        ShopStatus.DRAFT,
        frozenset({ShopStatus.SUBMITTED, ShopStatus.SUSPENDED}),
        True,
        "shop.returned_to_draft",
    ),
    "suspend": (
        ShopStatus.SUSPENDED,
        frozenset({ShopStatus.SUBMITTED, ShopStatus.APPROVED}),
        True,
        "shop.suspended",
    ),
}


def allowed_decisions(shop: Shop) -> list[str]:
    return [name for name, (_new, sources, _r, _a) in DECISIONS.items() if shop.status in sources]


@transaction.atomic
def decide_shop(operator: Any, shop: Shop, decision: str, reason: str) -> Shop:
    """Approve a shop, send it back to draft or suspend it, telling the seller why.

    Sending back and suspending need a reason (the seller must know what to fix); approval may
    carry a note. The row is locked so two operators deciding at once cannot both win.
    """
    permissions.require(permissions.can_moderate, operator)
    if decision not in DECISIONS:
        raise _error("decision", _("Choose what to do with this shop."), "invalid_decision")
    new_status, sources, needs_reason, action = DECISIONS[decision]
    reason = (reason or "").strip()
    locked = Shop.objects.select_for_update().get(pk=shop.pk)
    if locked.status not in sources:
        raise _error(
            "decision",
            _("This shop is %(status)s now; that decision no longer applies.")
            % {"status": locked.get_status_display()},
            "invalid_transition",
        )
    if needs_reason and not reason:
        raise _error("reason", _("Tell the seller why."), "required")
    if len(reason) > 2000:
        raise _error("reason", _("At most 2,000 characters."), "max_length")
    now = timezone.now()
    Shop.objects.filter(pk=shop.pk).update(
        status=new_status, status_reason=reason, status_changed_at=now, updated_at=now
    )
    shop.status, shop.status_reason, shop.status_changed_at = new_status, reason, now
    _audit(operator, action, shop, shop, reason=reason)
    if new_status == ShopStatus.APPROVED:
        events.emit("shop.approved", shop_id=shop.pk)
    elif new_status == ShopStatus.SUSPENDED:
        events.emit("shop.suspended", shop_id=shop.pk)
    return shop


def approve_shop(operator: Any, shop: Shop, reason: str = "") -> Shop:
    return decide_shop(operator, shop, "approve", reason)


def return_shop_to_draft(operator: Any, shop: Shop, reason: str) -> Shop:
    return decide_shop(operator, shop, "draft", reason)


def suspend_shop(operator: Any, shop: Shop, reason: str) -> Shop:
    return decide_shop(operator, shop, "suspend", reason)


# --- Members ------------------------------------------------------------------------------------


@transaction.atomic
def add_staff(actor: Any, shop: Shop, login: str) -> ShopMembership:
    """The owner adds an existing user (by phone number or e-mail address) as staff."""
    permissions.require(permissions.can_manage_shop_members, actor, shop)
    if not (login or "").strip():
        raise _error("login", _("Enter their phone number or e-mail address."), "required")
    user = user_by_login(login)
    if user is None or not user.is_active:
        raise _error(
            "login",
            _(
                "Nobody has an account with this phone number or e-mail address. "
                "Ask them to register first, then add them here."
            ),
            "user_not_found",
        )
    if ShopMembership.objects.filter(shop=shop, user=user).exists():
        raise _error(
            "login",
            _("%(name)s is already a member of this shop.") % {"name": user},
            "already_member",
        )
    membership = ShopMembership.objects.create(shop=shop, user=user, role=MemberRole.STAFF)
    _audit(actor, "shop.member_added", membership, shop, member=str(user))
    return membership


@transaction.atomic
def remove_member(actor: Any, shop: Shop, membership: ShopMembership) -> None:
    """The owner removes a staff member. Owners are not removed here (a shop needs its owner)."""
    permissions.require(permissions.can_manage_shop_members, actor, shop)
    if membership.shop_id != shop.pk:
        raise _error("member", _("This person is not a member of this shop."), "not_member")
    if membership.role == MemberRole.OWNER:
        raise _error("member", _("The owner cannot be removed."), "owner")
    _audit(actor, "shop.member_removed", membership, shop, member=str(membership.user))
    membership.delete()


# --- Facilitator consent -------------------------------------------------------------------------


@transaction.atomic
def grant_consent(actor: Any, shop: Shop, phone: str) -> FacilitatorConsent:
    """The owner lets a facilitator (found by phone number) act for the shop until revoked."""
    permissions.require(permissions.can_manage_shop_members, actor, shop)
    if not (phone or "").strip():
        raise _error("phone", _("Enter the facilitator's phone number."), "required")
    try:
        number = normalise_phone(phone)
    except ValidationError as exc:
        raise _error(
            "phone", _("Enter a valid phone number, for example 0812 3456 7890."), "invalid_phone"
        ) from exc
    facilitator = User.objects.filter(phone=number, is_active=True).first()
    if facilitator is None or not permissions.is_facilitator(facilitator):
        raise _error(
            "phone",
            _(
                "No facilitator of a village hall has this phone number. Check the number "
                "with your facilitator."
            ),
            "not_a_facilitator",
        )
    # Lock the shop: two taps on a slow link must not create two consents.
    Shop.objects.select_for_update().filter(pk=shop.pk).first()
    if FacilitatorConsent.objects.filter(
        shop=shop, facilitator=facilitator, revoked_at__isnull=True
    ).exists():
        raise _error(
            "phone",
            _("%(name)s can already act for your shop.") % {"name": facilitator},
            "already_granted",
        )
    consent = FacilitatorConsent.objects.create(
        shop=shop, facilitator=facilitator, granted_by=actor
    )
    _audit(actor, "shop.consent_granted", consent, shop, facilitator=str(facilitator))
    return consent


@transaction.atomic
def revoke_consent(actor: Any, shop: Shop, consent: FacilitatorConsent) -> FacilitatorConsent:
    """End a consent at once; the row stays (with ``revoked_at``) for the shop's history."""
    permissions.require(permissions.can_manage_shop_members, actor, shop)
    if consent.shop_id != shop.pk:
        raise _error("consent", _("This consent belongs to another shop."), "not_found")
    if consent.revoked_at is not None:
        return consent
    consent.revoked_at = timezone.now()
    consent.save(update_fields=["revoked_at"])
    _audit(actor, "shop.consent_revoked", consent, shop, facilitator=str(consent.facilitator))
    return consent
