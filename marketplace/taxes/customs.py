"""What a shop's parcel owes in VAT and duty, and when: at checkout or on delivery.

The rules (export reference, section 1), applied per parcel, because each shop ships its own:

- **Domestic** (``"ID"``): prices are final; nothing is added.
- **IOSS** (intrinsic value ≤ the rule's threshold, €150): the marketplace, as deemed supplier,
  charges the destination's VAT at checkout. The *intrinsic value* is the goods' net price,
  without transport and VAT, as the customs definition says; it alone decides the regime.
  VAT is computed per line at ``vat_rate(country, tax_class, day)``, the same function the
  displayed prices use. **One rule for the goods' VAT**: the buyer pays the displayed unit gross
  price x quantity, so a line's VAT is the VAT those prices contain, ``(unit gross - unit net) x
  quantity`` (the line's ``gross`` minus its ``net``). Computing it instead as ``rate x unit net x
  quantity`` rounded once per line can differ by a cent from what is charged (net €9.50 x 2 in
  Germany: €3.61 against the €3.62 inside 2 x €11.31), and the VAT declared must be the VAT
  collected. A line given without ``gross`` (callers that know only the net) falls back to
  ``rate x net``, rounded half-up to the cent.
  **VAT on shipping**: the taxable amount of the sale is everything the buyer pays, delivery
  included (VAT Directive 2006/112/EC, art. 78(b): incidental expenses such as transport), and a
  delivery charge is ancillary to the goods, so it takes the goods' rate rather than the standard
  rate. When the goods of one parcel have different rates, the shipping charge is split between
  the rates in proportion to the goods' net values (the pro-rata split tax authorities accept for
  mixed supplies), each part rounded to the cent, the last part taking the remainder so the parts
  add up to the charge. The export reference does not settle this point: confirm with a tax
  adviser before live sales; changing it is this one function, ``_shipping_vat_lines``.
  **Duty**: the rule's flat amount (€3 from 2026-07-01; none before) per *distinct* tariff
  subheading in the parcel: codes are compared on their first six digits (``"0901.21"`` and
  ``"090121"`` are one); a 4-digit heading counts as its own; a line without a code counts alone
  (charging a duty too many is better than declaring too few subheadings).
- **Import** (above the threshold): IOSS cannot be used, nothing is charged at checkout, and the
  buyer is told before paying what the carrier will collect: an *estimate* of import VAT (on goods,
  shipping and duty, at the goods' rates), duty at the rule's typical rate on goods and shipping,
  and the carrier's fee.

Everything is ``Money`` in euro and ``Decimal``; never floats. The rules are ``ImportRule`` rows
(threshold, duty, estimates, with validity dates and sources) that operators edit; the table is
cached like the VAT table and dropped when a row is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from djmoney.money import Money

from .countries import is_eu_country
from .models import ImportRule
from .selectors import vat_rate

CACHE_KEY = "taxes:import-rules:v1"
CACHE_SECONDS = 600
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
EUR = "EUR"


@dataclass(frozen=True)
class TaxableLine:
    tax_class: str
    hs_code: str  # 6-digit subheading (or 4-digit heading if that is all we know)
    net: Money  # EUR, line total before VAT (unit net x quantity)
    #: EUR, what the buyer is charged for the line (displayed unit gross x quantity); when given,
    #: the line's VAT is ``gross - net`` (the VAT the charged prices contain).
    gross: Money | None = None


@dataclass(frozen=True)
class VatLine:
    rate: Decimal  # percent
    base: Money
    amount: Money


@dataclass(frozen=True)
class ParcelTaxes:
    """The taxes of one parcel.

    ``vat_lines`` (IOSS only) hold first one line per ``TaxableLine``, in the same order, then the
    VAT on shipping, one line per rate (none when shipping is free).
    """

    regime: str  # "domestic" | "ioss" | "import"
    intrinsic_value: Money  # goods' net value, excl. shipping (EUR)
    vat_lines: list[VatLine]  # empty unless "ioss"
    vat: Money  # charged at checkout (0 unless "ioss")
    duty: Money  # charged at checkout (0 unless "ioss" and the rule is in force)
    duty_subheadings: list[str]
    due_on_delivery: Money | None  # "import": estimate of import VAT + duty + carrier fee
    rule: ImportRule | None


class ImportRuleMissing(LookupError):
    """No import rule covers the day: an operator must add one before EU parcels can be priced."""

    def __init__(self, on: datetime.date) -> None:
        self.on = on
        super().__init__(
            f"No import rule on {on.isoformat()}: add one in the operator pages "
            "(Taxes > Import rules)."
        )


# --- the rule table ------------------------------------------------------------------------


def import_rules() -> list[ImportRule]:
    """Every rule, latest start first, from the cache or in one query."""
    rules: list[ImportRule] | None = cache.get(CACHE_KEY)
    if rules is None:
        rules = list(ImportRule.objects.order_by("-valid_from"))
        cache.set(CACHE_KEY, rules, CACHE_SECONDS)
    return rules


def import_rule(on: datetime.date | None = None) -> ImportRule | None:
    """The rule in force on ``on`` (default today); of overlapping rows the latest start wins."""
    day = on or timezone.localdate()
    for rule in import_rules():
        if rule.valid_from <= day and (rule.valid_to is None or day <= rule.valid_to):
            return rule
    return None


def forget_rules() -> None:
    cache.delete(CACHE_KEY)


def rules_changed(**kwargs: Any) -> None:
    """Signal receiver: drop the cached rules now and again on commit (see ``rates_changed``)."""
    forget_rules()
    transaction.on_commit(forget_rules)


# --- arithmetic ----------------------------------------------------------------------------


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _eur(amount: Decimal) -> Money:
    return Money(_cents(amount), EUR)


def _vat(base: Decimal, rate: Decimal) -> Decimal:
    return _cents(base * rate / HUNDRED)


def _euro_amount(money: Money, what: str) -> Decimal:
    if str(money.currency) != EUR:
        raise ValueError(f"{what} must be in EUR for an EU parcel, not {money.currency}")
    return Decimal(money.amount)


def _apportion(amount: Decimal, weights: dict[Decimal, Decimal]) -> dict[Decimal, Decimal]:
    """Split ``amount`` between the rates in proportion to ``weights``, to the cent, exactly.

    Every part but the last is rounded half-up; the last takes the remainder, so the parts always
    add up to ``amount``.
    """
    total = sum(weights.values(), Decimal(0))
    rates = list(weights)
    parts: dict[Decimal, Decimal] = {}
    for rate in rates[:-1]:
        parts[rate] = _cents(amount * weights[rate] / total)
    parts[rates[-1]] = amount - sum(parts.values(), Decimal(0))
    return parts


def _goods_by_rate(
    nets: Sequence[Decimal], rates: Sequence[Decimal], country: str, day: datetime.date
) -> dict[Decimal, Decimal]:
    """Net goods value per VAT rate (in the lines' order), what shipping and duty are split by.

    A parcel without goods value (free samples only) puts shipping at the standard rate.
    """
    weights: dict[Decimal, Decimal] = {}
    for net, rate in zip(nets, rates, strict=True):
        if net > 0:
            weights[rate] = weights.get(rate, Decimal(0)) + net
    if not weights:
        weights[vat_rate(country, "standard", day)] = Decimal(1)
    return weights


def _line_vat(line: TaxableLine, net: Decimal, rate: Decimal) -> Decimal:
    """The VAT in one goods line: what its charged gross contains, else ``rate`` on its net."""
    if line.gross is None:
        return _vat(net, rate)
    return _euro_amount(line.gross, "a line's gross") - net


def _shipping_vat_lines(shipping: Decimal, weights: dict[Decimal, Decimal]) -> list[VatLine]:
    """VAT on the delivery charge at the goods' rates, split pro rata (see the module's notes)."""
    if shipping <= 0:
        return []
    return [
        VatLine(rate=rate, base=_eur(part), amount=_eur(_vat(part, rate)))
        for rate, part in _apportion(shipping, weights).items()
    ]


def subheading(hs_code: str) -> str:
    """The code duty is counted by: six digits of a subheading, or four of a heading; "" unknown."""
    digits = "".join(ch for ch in hs_code if ch.isdigit())
    if len(digits) >= 6:
        return digits[:6]
    if len(digits) >= 4:
        return digits[:4]
    return ""


def distinct_subheadings(lines: Sequence[TaxableLine]) -> list[str]:
    """The parcel's distinct subheadings in order of appearance; each uncoded line counts alone."""
    seen: list[str] = []
    for line in lines:
        code = subheading(line.hs_code)
        if code == "" or code not in seen:
            seen.append(code)
    return seen


# --- the parcel ----------------------------------------------------------------------------


def parcel_taxes(
    country: str,
    lines: Sequence[TaxableLine],
    shipping: Money,
    *,
    on: datetime.date | None = None,
) -> ParcelTaxes:
    """VAT and duty of one shop's parcel to ``country`` on ``on`` (default today).

    Raises ``VatRateMissing`` when a line's rate is not in the table and ``ImportRuleMissing``
    when no import rule covers the day: the caller refuses the sale rather than charge wrongly.
    ``ValueError`` for a country that is neither Indonesia nor in the EU, or non-euro amounts.
    """
    country = country.upper()
    day = on or timezone.localdate()
    if country == "ID":
        zero = Money(0, shipping.currency)
        return ParcelTaxes(
            regime="domestic",
            intrinsic_value=zero,
            vat_lines=[],
            vat=zero,
            duty=zero,
            duty_subheadings=[],
            due_on_delivery=None,
            rule=None,
        )
    if not is_eu_country(country):
        raise ValueError(f"no parcel taxes for {country}: neither Indonesia nor an EU state")
    nets = [_euro_amount(line.net, "a line's net") for line in lines]
    shipping_net = _euro_amount(shipping, "shipping")
    rule = import_rule(day)
    if rule is None:
        raise ImportRuleMissing(day)
    rates = [vat_rate(country, line.tax_class, day) for line in lines]
    intrinsic = sum(nets, Decimal(0))
    weights = _goods_by_rate(nets, rates, country, day)
    zero = Money(0, EUR)

    if intrinsic <= rule.ioss_threshold.amount:
        vat_lines = [
            VatLine(rate=rate, base=_eur(net), amount=_eur(_line_vat(line, net, rate)))
            for line, net, rate in zip(lines, nets, rates, strict=True)
        ]
        vat_lines += _shipping_vat_lines(shipping_net, weights)
        subheadings = distinct_subheadings(lines)
        duty = rule.duty_per_subheading.amount * len(subheadings)
        return ParcelTaxes(
            regime="ioss",
            intrinsic_value=_eur(intrinsic),
            vat_lines=vat_lines,
            vat=_eur(sum((v.amount.amount for v in vat_lines), Decimal(0))),
            duty=_eur(duty),
            duty_subheadings=subheadings,
            due_on_delivery=None,
            rule=rule,
        )

    # Above the threshold: an estimate of what the carrier collects, nothing charged now.
    customs_value = intrinsic + shipping_net
    duty_estimate = _cents(customs_value * rule.duty_rate_estimate_above_threshold / HUNDRED)
    bases = dict(weights)
    for rate, part in _apportion(shipping_net + duty_estimate, weights).items():
        bases[rate] += part
    vat_estimate = sum((_vat(base, rate) for rate, base in bases.items()), Decimal(0))
    due = vat_estimate + duty_estimate + rule.carrier_fee_estimate.amount
    return ParcelTaxes(
        regime="import",
        intrinsic_value=_eur(intrinsic),
        vat_lines=[],
        vat=zero,
        duty=zero,
        duty_subheadings=[],
        due_on_delivery=_eur(due),
        rule=rule,
    )
