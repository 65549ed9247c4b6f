"""Seller and facilitator pages: onboarding, shop settings, members, consent, history.

Thin: forms collect, ``services`` decide, ``selectors`` read. Shop-scoped pages live under
``/penjual/<slug>/…``, guarded by ``rule_required(can_manage_shop, get_object=shop_from_url)``, so
a facilitator switches between the shops they assist by following another shop's link. Every
page works without JavaScript; every refused input comes back with its message and what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.accounts.forms import add_service_errors
from marketplace.accounts.models import User
from marketplace.core import permissions
from marketplace.core.permissions import rule_required

from . import selectors, services
from .forms import (
    AddMemberForm,
    BankAccountForm,
    ConsentForm,
    ShopNameForm,
    ShopNibForm,
    ShopSettingsForm,
    ShopStoryForm,
    story_to_text,
)
from .models import FacilitatorConsent, Shop, ShopMembership, ShopStatus

ONBOARDING_STEPS = 4
HISTORY_PAGE_SIZE = 25


def shop_from_url(request: HttpRequest, slug: str, **kwargs: Any) -> Shop:
    """The shop named in the URL, read once per request (the guard and the view share it)."""
    cached: Shop | None = getattr(request, "_sellers_shop", None)
    if cached is not None and cached.slug == slug:
        return cached
    shop = get_object_or_404(selectors.shops(), slug=slug)
    request._sellers_shop = shop  # type: ignore[attr-defined]
    return shop


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _shop_context(request: HttpRequest, shop: Shop, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    return {
        "shop": shop,
        "is_owner": permissions.is_shop_owner(user, shop),
        **extra,
    }


# --- My shops ----------------------------------------------------------------------------------


@login_required
def my_shops(request: HttpRequest) -> HttpResponse:
    """The shops a user belongs to, or the call to open one."""
    user = _user(request)
    return render(
        request,
        "sellers/my_shops.html",
        {
            "memberships": list(selectors.memberships_of(user)),
            "is_facilitator": permissions.is_facilitator(user),
        },
    )


# --- Onboarding --------------------------------------------------------------------------------


@login_required
def onboarding_start(request: HttpRequest) -> HttpResponse:
    """Step 1 for a new shop: its name and village. Saving creates the draft."""
    user = _user(request)
    form = ShopNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shop = services.create_shop(
                user, form.cleaned_data["name"], form.cleaned_data["village"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your shop is saved as a draft. Next: your story."))
            return redirect("sellers:onboarding", slug=shop.slug, step=2)
    drafts = [m.shop for m in selectors.memberships_of(user) if m.shop.status == ShopStatus.DRAFT]
    return render(
        request,
        "sellers/onboarding/step1.html",
        {"form": form, "step": 1, "steps": ONBOARDING_STEPS, "drafts": drafts},
    )


@rule_required(permissions.can_manage_shop, get_object=shop_from_url)
def onboarding(request: HttpRequest, slug: str, step: int) -> HttpResponse:
    """Steps 1 to 4 of a draft. Each step saves at once: a dropped connection loses one step."""
    shop = shop_from_url(request, slug)
    if shop.status != ShopStatus.DRAFT:
        messages.info(request, _("This shop has already been submitted."))
        return redirect("sellers:settings", slug=shop.slug)
    if not 1 <= step <= ONBOARDING_STEPS:
        return redirect("sellers:onboarding", slug=shop.slug, step=1)
    handler = {1: _step_name, 2: _step_story, 3: _step_business, 4: _step_review}[step]
    return handler(request, shop)


def _next(shop: Shop, step: int) -> HttpResponse:
    return redirect("sellers:onboarding", slug=shop.slug, step=step)


def _render_step(request: HttpRequest, shop: Shop, step: int, **context: Any) -> HttpResponse:
    return render(
        request,
        f"sellers/onboarding/step{step}.html",
        _shop_context(request, shop, step=step, steps=ONBOARDING_STEPS, **context),
    )


def _step_name(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = ShopNameForm(
        request.POST or None, initial={"name": shop.name, "village": str(shop.village_id)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_shop(
                _user(request),
                shop,
                name=form.cleaned_data["name"],
                village=form.cleaned_data["village"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _next(shop, 2)
    return _render_step(request, shop, 1, form=form)


def _step_story(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = ShopStoryForm(
        request.POST or None,
        request.FILES or None,
        initial={"story": story_to_text(shop.story), "whatsapp": _national(shop.whatsapp)},
    )
    if request.method == "POST" and form.is_valid():
        logo = form.cleaned_data.get("logo")
        try:
            services.update_shop(
                _user(request),
                shop,
                story=form.cleaned_data["story"],
                whatsapp=form.cleaned_data["whatsapp"],
                logo=logo if logo else services.UNCHANGED,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _next(shop, 3)
    return _render_step(request, shop, 2, form=form)


def _step_business(request: HttpRequest, shop: Shop) -> HttpResponse:
    user = _user(request)
    is_owner = permissions.is_shop_owner(user, shop)
    account = selectors.bank_account_for(user, shop) if is_owner else None
    data = request.POST if request.method == "POST" else None
    form = ShopNibForm(data, initial={"nib": shop.nib})
    bank_form = None
    if is_owner:
        bank_form = BankAccountForm(
            data,
            optional=account is None,
            initial={
                "bank_code": account.bank_code,
                "account_number": account.account_number,
                "holder_name": account.holder_name,
            }
            if account
            else None,
        )
    # Both forms are checked (no short-circuit), so every error of the page shows at once.
    valid = [form.is_valid(), bank_form is None or bank_form.is_valid()]
    if data is not None and all(valid):
        bank: dict[str, Any] = {}
        if bank_form is not None and not bank_form.is_blank():
            bank = {
                "bank_code": bank_form.cleaned_data["bank_code"],
                "account_number": bank_form.cleaned_data["account_number"],
                "holder_name": bank_form.cleaned_data["holder_name"],
            }
        try:
            services.save_business_details(user, shop, nib=form.cleaned_data["nib"], **bank)
        except ValidationError as exc:
            add_service_errors(form, _only(exc, form))
            if bank_form is not None:
                add_service_errors(bank_form, _only(exc, bank_form))
        else:
            return _next(shop, 4)
    return _render_step(request, shop, 3, form=form, bank_form=bank_form)


def _step_review(request: HttpRequest, shop: Shop) -> HttpResponse:
    user = _user(request)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.submit_shop(user, shop)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _(
                    "Thank you! Your shop was sent to the Pasar Kampung team. We check new "
                    "shops within two working days and tell you here."
                ),
            )
            return redirect("sellers:settings", slug=shop.slug)
    return _render_step(
        request,
        shop,
        4,
        missing=selectors.missing_for_submission(shop),
        account=selectors.bank_account_for(user, shop),
        errors=errors,
    )


def _only(exc: ValidationError, form: Any) -> ValidationError:
    """The part of a service's errors that belongs to ``form``'s fields."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({k: v for k, v in exc.error_dict.items() if k in form.fields})


def _national(e164: str) -> str:
    """``+6281234567890`` -> ``081234567890``: how sellers write their own number."""
    return "0" + e164[3:] if e164.startswith("+62") else e164


# --- Shop settings -----------------------------------------------------------------------------


@rule_required(permissions.can_manage_shop, get_object=shop_from_url)
def shop_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The seller's shop page: status (with the operator's reason), profile and, for the owner,
    the bank account."""
    shop = shop_from_url(request, slug)
    user = _user(request)
    form = ShopSettingsForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "name": shop.name,
            "village": str(shop.village_id),
            "village_hall": str(shop.village_hall_id or ""),
            "story": story_to_text(shop.story),
            "whatsapp": _national(shop.whatsapp),
            "nib": shop.nib,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        logo: Any = services.UNCHANGED
        if data.get("logo"):
            logo = data["logo"]
        elif data.get("remove_logo"):
            logo = None
        try:
            services.update_shop(
                user,
                shop,
                name=data["name"],
                village=data["village"],
                village_hall=data["village_hall"],
                story=data["story"],
                whatsapp=data["whatsapp"],
                nib=data["nib"],
                logo=logo,
            )
        except ValidationError as exc:
            shop.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your shop has been saved."))
            return redirect("sellers:settings", slug=shop.slug)
    return _render_settings(request, shop, form=form)


def _render_settings(
    request: HttpRequest,
    shop: Shop,
    *,
    form: ShopSettingsForm | None = None,
    bank_form: BankAccountForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    account = selectors.bank_account_for(user, shop)
    if form is None:
        form = ShopSettingsForm(
            initial={
                "name": shop.name,
                "village": str(shop.village_id),
                "village_hall": str(shop.village_hall_id or ""),
                "story": story_to_text(shop.story),
                "whatsapp": _national(shop.whatsapp),
                "nib": shop.nib,
            }
        )
    if bank_form is None and permissions.is_shop_owner(user, shop):
        bank_form = BankAccountForm(
            initial={
                "bank_code": account.bank_code,
                "account_number": account.account_number,
                "holder_name": account.holder_name,
            }
            if account
            else None
        )
    return render(
        request,
        "sellers/settings.html",
        _shop_context(
            request,
            shop,
            form=form,
            bank_form=bank_form,
            account=account,
            missing=selectors.missing_for_submission(shop)
            if shop.status == ShopStatus.DRAFT
            else {},
        ),
        status=status,
    )


@rule_required(permissions.is_shop_owner, get_object=shop_from_url)
@require_POST
def bank_account(request: HttpRequest, slug: str) -> HttpResponse:
    """The owner sets the payout account (a separate form on the settings page)."""
    shop = shop_from_url(request, slug)
    bank_form = BankAccountForm(request.POST)
    if bank_form.is_valid():
        try:
            services.set_bank_account(_user(request), shop, **bank_form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(bank_form, exc)
        else:
            messages.success(request, _("The bank account has been saved."))
            return redirect("sellers:settings", slug=shop.slug)
    return _render_settings(request, shop, bank_form=bank_form)


# --- Members -----------------------------------------------------------------------------------


@rule_required(permissions.can_manage_shop, get_object=shop_from_url)
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone who may manage the shop; the owner adds staff by phone number or e-mail."""
    shop = shop_from_url(request, slug)
    user = _user(request)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST":
        permissions.require(permissions.can_manage_shop_members, user, shop)
        if form.is_valid():
            try:
                membership = services.add_staff(user, shop, form.cleaned_data["login"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("%(name)s can now manage this shop.") % {"name": membership.user}
                )
                return redirect("sellers:members", slug=shop.slug)
    return render(
        request,
        "sellers/members.html",
        _shop_context(request, shop, form=form, members=list(selectors.members(shop))),
    )


@rule_required(permissions.can_manage_shop_members, get_object=shop_from_url)
@require_POST
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    shop = shop_from_url(request, slug)
    membership = get_object_or_404(ShopMembership.objects.select_related("user"), pk=pk, shop=shop)
    try:
        services.remove_member(_user(request), shop, membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": membership.user})
    return redirect("sellers:members", slug=shop.slug)


# --- Facilitator consent -----------------------------------------------------------------------


@rule_required(permissions.can_manage_shop, get_object=shop_from_url)
def consent(request: HttpRequest, slug: str) -> HttpResponse:
    """Who from the village hall may act for the shop; the owner grants and revokes."""
    shop = shop_from_url(request, slug)
    user = _user(request)
    form = ConsentForm(request.POST or None)
    if request.method == "POST":
        permissions.require(permissions.can_manage_shop_members, user, shop)
        if form.is_valid():
            try:
                granted = services.grant_consent(user, shop, form.cleaned_data["phone"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s can now help you manage this shop.")
                    % {"name": granted.facilitator},
                )
                return redirect("sellers:consent", slug=shop.slug)
    return render(
        request,
        "sellers/consent.html",
        _shop_context(request, shop, form=form, consents=list(selectors.consents(shop))),
    )


@rule_required(permissions.can_manage_shop_members, get_object=shop_from_url)
@require_POST
def consent_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    shop = shop_from_url(request, slug)
    granted = get_object_or_404(
        FacilitatorConsent.objects.select_related("facilitator"), pk=pk, shop=shop
    )
    services.revoke_consent(_user(request), shop, granted)
    messages.success(
        request, _("%(name)s can no longer act for this shop.") % {"name": granted.facilitator}
    )
    return redirect("sellers:consent", slug=shop.slug)


# --- History -----------------------------------------------------------------------------------


@rule_required(permissions.can_manage_shop, get_object=shop_from_url)
def history(request: HttpRequest, slug: str) -> HttpResponse:
    """What was done to the shop and on its behalf, by whom (a facilitator shows as one)."""
    shop = shop_from_url(request, slug)
    page = Paginator(selectors.shop_history(shop), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.history_rows(shop, list(page.object_list))
    return render(
        request, "sellers/history.html", _shop_context(request, shop, page=page, rows=rows)
    )


# --- Facilitator -------------------------------------------------------------------------------


@rule_required(permissions.is_facilitator)
def facilitator_home(request: HttpRequest) -> HttpResponse:
    """The shops a facilitator assists now; each link opens that shop's pages."""
    user = _user(request)
    return render(
        request,
        "sellers/facilitator_home.html",
        {
            "shops": list(selectors.assisted_shops(user)),
            "halls": list(user.facilitated_halls.order_by("name")),
        },
    )
