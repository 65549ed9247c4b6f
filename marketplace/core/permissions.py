"""Every permission rule of Pasar Kampung, by name, in this one module.

A rule is a plain function ``(user, obj) -> bool``. Views use ``rule_required``; GraphQL mutations
name the rule in their ``Meta`` and ``marketplace.graphql.core.mutations.BaseMutation`` enforces it;
services may call ``require``. Nothing else decides who may do what.

Rules read the roles from the data (see ``marketplace.accounts.models``): a seller is a member of a
shop, a facilitator is assigned to a village hall and acts for shops that consented, a trainer has
``is_trainer``, an operator is marketplace staff (``is_staff``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from marketplace.accounts.models import User
    from marketplace.orders.models import Order
    from sellers.models import Shop

    AnyUser = User | AnonymousUser
else:
    AnyUser = Any

#: A rule: ``(user, obj=None) -> bool``.
Rule = Callable[..., bool]
F = TypeVar("F", bound=Rule)

#: All rules by name, for introspection (the table-driven tests walk it).
RULES: dict[str, Rule] = {}


def rule(fn: F) -> F:
    RULES[fn.__name__] = fn
    return fn


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


@rule
def is_authenticated(user: AnyUser, obj: Any = None) -> bool:
    """Any signed-in, active user: every user can buy."""
    return _active(user)


@rule
def is_operator(user: AnyUser, obj: Any = None) -> bool:
    """Marketplace staff: moderation, payouts, commission, programme figures."""
    return _active(user) and bool(user.is_staff)


@rule
def is_trainer(user: AnyUser, obj: Any = None) -> bool:
    return _active(user) and bool(getattr(user, "is_trainer", False))


@rule
def is_facilitator(user: AnyUser, obj: Any = None) -> bool:
    """Assigned to at least one village hall."""
    return _active(user) and user.facilitated_halls.exists()  # type: ignore[union-attr]


@rule
def is_seller(user: AnyUser, obj: Any = None) -> bool:
    """A member (owner or staff) of at least one shop."""
    return _active(user) and user.shop_memberships.exists()  # type: ignore[union-attr]


@rule
def is_shop_member(user: AnyUser, shop: Shop) -> bool:
    return _active(user) and shop.memberships.filter(user_id=cast(int, user.pk)).exists()


@rule
def is_shop_owner(user: AnyUser, shop: Shop) -> bool:
    return (
        _active(user) and shop.memberships.filter(user_id=cast(int, user.pk), role="owner").exists()
    )


@rule
def can_act_for(user: AnyUser, shop: Shop) -> bool:
    """A facilitator acting for a shop that consented, while the consent stands."""
    return (
        _active(user)
        and user.facilitated_halls.exists()  # type: ignore[union-attr]
        and shop.facilitator_consents.filter(
            facilitator_id=user.pk, revoked_at__isnull=True
        ).exists()
    )


@rule
def can_manage_shop(user: AnyUser, shop: Shop) -> bool:
    """Change a shop and its listings: its members, or a facilitator it consented to."""
    return is_shop_member(user, shop) or can_act_for(user, shop)


@rule
def can_manage_shop_members(user: AnyUser, shop: Shop) -> bool:
    """Add or remove members, grant or revoke facilitator consent: the owner alone."""
    return is_shop_owner(user, shop)


@rule
def can_view_shop_bank_account(user: AnyUser, shop: Shop) -> bool:
    """See where a shop's payouts go: its owner and operators; not staff, facilitators or buyers.

    Changing it is the owner's alone (``is_shop_owner``): a payout account redirected by someone
    else is the fraud this guards against.
    """
    return is_shop_owner(user, shop) or is_operator(user)


@rule
def can_moderate(user: AnyUser, obj: Any = None) -> bool:
    return is_operator(user)


@rule
def can_manage_payouts(user: AnyUser, obj: Any = None) -> bool:
    """Build payout batches, export transfer files, mark payouts paid or failed: operators."""
    return is_operator(user)


@rule
def can_view_tax_reports(user: AnyUser, obj: Any = None) -> bool:
    """Download the monthly IOSS VAT report (the marketplace's tax figures): operators."""
    return is_operator(user)


@rule
def can_view_programme_outcomes(user: AnyUser, obj: Any = None) -> bool:
    return is_operator(user) or is_trainer(user)


@rule
def can_manage_cohort(user: AnyUser, cohort: Any = None) -> bool:
    """Run a training cohort (attendance, certificates, its figures): its trainer, or operators."""
    if is_operator(user):
        return True
    from training.models import Cohort

    return is_trainer(user) and isinstance(cohort, Cohort) and cohort.trainer_id == user.pk


@rule
def can_enrol_in_cohort(user: AnyUser, cohort: Any = None) -> bool:
    """Enrol learners on the spot: who runs the cohort, or a facilitator of its village hall."""
    if can_manage_cohort(user, cohort):
        return True
    from training.models import Cohort

    return (
        _active(user)
        and isinstance(cohort, Cohort)
        and cohort.village_hall_id is not None
        and user.facilitated_halls.filter(pk=cohort.village_hall_id).exists()  # type: ignore[union-attr]
    )


@rule
def can_view_progress(user: AnyUser, enrolment: Any = None) -> bool:
    """A learner's progress in a course: the learner, their cohort's trainer, operators."""
    if is_operator(user):
        return True
    from training.models import Enrolment

    if not _active(user) or not isinstance(enrolment, Enrolment):
        return False
    if enrolment.learner_id == user.pk:
        return True
    return enrolment.cohort is not None and can_manage_cohort(user, enrolment.cohort)


def is_order_buyer(user: AnyUser, order: Order) -> bool:
    """The signed-in buyer, or for a guest's order whoever holds its signed link."""
    from marketplace.orders.links import OrderLinkHolder

    if isinstance(user, OrderLinkHolder):
        return order.buyer_id is None and user.order_number == order.number
    return _active(user) and order.buyer_id is not None and order.buyer_id == user.pk


@rule
def can_view_order(user: AnyUser, order: Order) -> bool:
    """Its buyer, whoever manages its shop (members, a consented facilitator), and operators."""
    return is_order_buyer(user, order) or can_manage_shop(user, order.shop) or is_operator(user)


@rule
def can_fulfil_order(user: AnyUser, order: Order) -> bool:
    """Pack, ship and mark delivered: whoever manages the order's shop."""
    return can_manage_shop(user, order.shop)


@rule
def can_cancel_order(user: AnyUser, order: Order) -> bool:
    """The buyer while unpaid (nothing to refund); the shop and operators also after payment."""
    if can_manage_shop(user, order.shop) or is_operator(user):
        return True
    return is_order_buyer(user, order) and order.status == "unpaid"


@rule
def can_withdraw_order(user: AnyUser, order: Order) -> bool:
    """The EU buyer's right of withdrawal (an operator may file it for a buyer who wrote in).

    Whether the 14 days still run and which lines qualify is the service's check, with a message
    the buyer reads, not a silent 403.
    """
    return (is_order_buyer(user, order) and order.market == "EU") or is_operator(user)


@rule
def can_confirm_bank_transfer(user: AnyUser, obj: Any = None) -> bool:
    """Confirm or reject a buyer's bank transfer against the marketplace's bank statement."""
    return is_operator(user)


@rule
def can_refund(user: AnyUser, obj: Any = None) -> bool:
    """Send money back outside the cancel and withdrawal flows: operators only."""
    return is_operator(user)


@rule
def can_mark_order_delivered(user: AnyUser, order: Order) -> bool:
    """Record the delivery: whoever manages the order's shop, or an operator (the courier's
    confirmation reached the marketplace, not the seller)."""
    return can_fulfil_order(user, order) or is_operator(user)


@rule
def can_use_checkout(user: AnyUser, checkout: Any = None) -> bool:
    """Read and change a cart: anyone may start one; a visitor's cart is reached by its token
    (the token is the secret), a signed-in buyer's cart only by that buyer."""
    if checkout is None:
        return True
    from marketplace.checkout.models import Checkout

    if not isinstance(checkout, Checkout):
        return False
    if checkout.user_id is None:
        return True
    return _active(user) and checkout.user_id == user.pk


def check(rule_fn: Rule, user: AnyUser, obj: Any = None) -> bool:
    return rule_fn(user, obj)


def require(rule_fn: Rule, user: AnyUser, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` unless ``rule_fn`` allows ``user`` on ``obj``."""
    if not rule_fn(user, obj):
        raise PermissionDenied(rule_fn.__name__)


def rule_required(
    rule_fn: Rule, get_object: Callable[..., Any] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view: anonymous users go to the login page, others without the right get 403.

    ``get_object(request, **kwargs)`` returns the object the rule is about, if any.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            obj = get_object(request, **kwargs) if get_object else None
            require(rule_fn, request.user, obj)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def manageable_shops(user: AnyUser) -> Any:
    """The queryset twin of ``can_manage_shop``: shops ``user`` may manage.

    Kept beside the rule so the two never drift apart (``tests/test_permissions.py`` checks they
    agree for every role).
    """
    from django.db.models import Q

    from sellers.models import Shop

    if not _active(user):
        return Shop.objects.none()
    member = Q(memberships__user_id=user.pk)
    facilitated = Q(
        facilitator_consents__facilitator_id=user.pk, facilitator_consents__revoked_at__isnull=True
    )
    if user.facilitated_halls.exists():  # type: ignore[union-attr]
        return Shop.objects.filter(member | facilitated).distinct()
    return Shop.objects.filter(member).distinct()
