"""The export-readiness check: one service that pages, GraphQL, checkout and the EU listing
selector rely on (through the stored ``ReadinessResult``).

``check(product, country)`` answers "may this listing be sold to a buyer in ``country``, and if not,
what must the seller fix?" as a list of ``Finding``s with stable codes. The rules follow
``shared/reference/export-eu.md``; every threshold is a ``ReadinessRule`` row (data with its
source).

The work is split in two so recomputing 28 destinations costs one read of the listing:
``_gather`` reads everything a listing's rules need (catalog, photos, export profile, plots,
documents) and ``_evaluate`` turns those facts into findings for one country without any query.

Decisions worth knowing:

- The DDS reference (EUDR) is a *warning* here: the EU information system issues it when the
  operator files the statement, and it is needed on the customs declaration (CN23), so it blocks
  at shipment (customs papers), not the listing. A listing can be ready before the first shipment.
- A lab report "expires" for these rules ``lab_report_validity_months`` after it was issued, even if
  the document itself names no expiry date; a document past its own expiry date is not current at
  all (``documents.selectors.current_documents``) and counts as missing.
- Domestic ("ID") findings are only Indonesia's own food rules (P-IRT or BPOM, halal certificate);
  the EU rules apply to the 27 member states.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.utils import build_localized_fieldname

from marketplace.audit.services import record
from marketplace.catalog.models import Product, ProductVariant, ProhibitedTerm
from marketplace.catalog.services import LISTING_LANGUAGES, screen_product
from marketplace.core import events, permissions
from marketplace.taxes.countries import EU_COUNTRIES

from .models import (
    ALLERGENS,
    NUTRITION_KEYS,
    EuResponsiblePerson,
    ExportProfile,
    HsCode,
    ReadinessResult,
    ReadinessRule,
)

logger = logging.getLogger(__name__)

HOME_COUNTRY = "ID"
#: Every destination a result is stored for: the 27 member states and Indonesia.
DESTINATIONS: tuple[str, ...] = (*sorted(EU_COUNTRIES), HOME_COUNTRY)


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    field: str
    blocking: bool = True
    params: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False)

    def as_json(self) -> dict[str, Any]:
        """Stored without the message: it is rebuilt in the reader's language
        (``selectors.findings_of``)."""
        return {
            "code": self.code,
            "field": self.field,
            "blocking": self.blocking,
            "params": self.params,
        }


@dataclass(frozen=True)
class Readiness:
    country: str
    ready: bool
    findings: list[Finding]
    progress: int

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocking]


# -- messages ------------------------------------------------------------------------------------
# One English msgid per code, so a stored finding is re-rendered in whatever language its reader
# uses; ``params`` fill the placeholders.


#: One English msgid per code (lazy: rendered only for findings someone reads).
MESSAGES: dict[str, Any] = {
    "hs_code.missing": gettext_lazy("Enter the 6-digit HS code of the product."),
    "hs_code.unknown": gettext_lazy("HS code %(code)s does not exist in the HS 2022 table."),
    "hs_code.category_mismatch": gettext_lazy(
        "HS code %(code)s does not fit the category (expected heading %(heading)s)."
    ),
    "variant.weight.missing": gettext_lazy("Enter the weight of variant %(variant)s."),
    "variant.dimensions.missing": gettext_lazy(
        "Enter the length, width and height of variant %(variant)s."
    ),
    "variant.eur_price.missing": gettext_lazy("Enter a price in euro for variant %(variant)s."),
    "text.title.missing": gettext_lazy("Write the product name in %(language)s."),
    "text.description.missing": gettext_lazy("Write the description in %(language)s."),
    "text.title.untranslated": gettext_lazy(
        "The product name in %(language)s is the same as the Indonesian one: translate it."
    ),
    "text.description.untranslated": gettext_lazy(
        "The description in %(language)s is the same as the Indonesian one: translate it."
    ),
    "photos.too_few": gettext_lazy("Add at least %(minimum)s photos (now %(count)s)."),
    "prohibited": gettext_lazy("This product may not be sold: %(reason)s"),
    "gpsr.manufacturer_name.missing": gettext_lazy("Enter the manufacturer's name."),
    "gpsr.manufacturer_address.missing": gettext_lazy("Enter the manufacturer's postal address."),
    "gpsr.manufacturer_email.missing": gettext_lazy("Enter the manufacturer's e-mail address."),
    "gpsr.responsible_person.missing": gettext_lazy(
        "Name an EU responsible person (or use the marketplace's EU partner)."
    ),
    "gpsr.product_identifier.missing": gettext_lazy(
        "Enter a product identifier (batch, model or type)."
    ),
    "gpsr.warnings.missing": gettext_lazy("Write the safety warnings in %(language)s."),
    "gpsr.food_contact": gettext_lazy(
        "This item touches food: it must meet the EU rules for food-contact materials "
        "(Reg. 1935/2004)."
    ),
    "food.animal_origin": gettext_lazy("Foods of animal origin cannot be sold to the EU."),
    "food.ingredients.missing": gettext_lazy("Write the ingredients in %(language)s."),
    "food.allergens.missing": gettext_lazy(
        "Mark which of the 14 EU allergens the food contains (or none)."
    ),
    "food.net_quantity.missing": gettext_lazy("Enter the net quantity (for example 250 g)."),
    "food.shelf_life.missing": gettext_lazy("Enter the shelf life in days."),
    "food.nutrition.missing": gettext_lazy(
        "Complete the nutrition declaration per 100 g: %(missing)s."
    ),
    "food.business.missing": gettext_lazy("Enter the food business's name and address."),
    "food.registration.missing": gettext_lazy("Enter the P-IRT number or the BPOM number."),
    "food.halal.missing": gettext_lazy("Upload the halal certificate."),
    "food.lab_report.missing": gettext_lazy(
        "Upload a laboratory report (ochratoxin A, aflatoxins) for this product."
    ),
    "food.lab_report.expired": gettext_lazy(
        "The laboratory report is older than %(months)s months: upload a new one."
    ),
    "eudr.plots.missing": gettext_lazy(
        "Link the production plots (with their location) to this product."
    ),
    "eudr.harvest.missing": gettext_lazy("Enter the harvest period."),
    "eudr.harvest.invalid": gettext_lazy("The harvest period ends before it starts."),
    "eudr.harvest.before_cutoff": gettext_lazy(
        "The harvest must be after %(cutoff)s to be covered by the deforestation declaration."
    ),
    "eudr.declaration.missing": gettext_lazy(
        "Declare that the plots were not deforested after %(cutoff)s."
    ),
    "eudr.evidence.missing": gettext_lazy(
        "Upload the evidence of no deforestation (for example a map)."
    ),
    "eudr.dds.missing": gettext_lazy(
        "The due-diligence statement reference is needed before the first parcel ships."
    ),
}


def message_for(code: str, params: dict[str, Any] | None = None) -> str:
    """The finding's message in the active language. ``params["language"]`` is stored as a
    language code and named here, so a stored finding reads right in every language."""
    params = dict(params or {})
    if "language" in params:
        params["language"] = _language_name(str(params["language"]))
    if code.startswith("eudr.plot."):
        return _("Plot %(plot)s: %(detail)s") % {
            "plot": params.get("plot", ""),
            "detail": params.get("detail", ""),
        }
    template = MESSAGES.get(code)
    if template is None:
        return code
    text = str(template)
    try:
        return text % params if params else text
    except (KeyError, TypeError, ValueError):
        return text


def _language_name(code: str) -> str:
    names = {"en": _("English"), "de": _("German"), "nl": _("Dutch"), "fr": _("French")}
    return names.get(code, code)


# -- rules as data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """The ``ReadinessRule`` rows, read once per check or recomputation."""

    min_photos: int
    languages: dict[str, list[str]]
    lab_report_validity_months: int
    lab_report_hs_prefixes: list[str]
    eudr_cutoff: dt.date
    eudr_hs_prefixes: list[str]

    def languages_for(self, country: str) -> list[str]:
        """Accepted destination languages (any one of them suffices; English is always asked)."""
        return list(self.languages.get(country, self.languages.get("default", ["en"])))


DEFAULT_RULES: dict[str, Any] = {
    "photos.min": 3,
    "languages.by_country": {
        "DE": ["de"],
        "AT": ["de"],
        "NL": ["nl"],
        "BE": ["nl", "fr"],
        "FR": ["fr"],
        "LU": ["fr"],
        "default": ["en"],
    },
    "documents.lab_report.validity_months": 12,
    "documents.lab_report.hs_prefixes": [
        "0901",
        "18",
        "0904",
        "0905",
        "0906",
        "0907",
        "0908",
        "0909",
        "0910",
    ],
    "eudr.cutoff_date": "2020-12-31",
    "eudr.hs_prefixes": [
        "0901",
        "1801",
        "1802",
        "1803",
        "1804",
        "1805",
        "1806",
        "44",
        "9401",
        "9403",
    ],
}


def load_rules() -> Rules:
    stored = dict(ReadinessRule.objects.values_list("key", "value"))
    value = {**DEFAULT_RULES, **stored}
    return Rules(
        min_photos=int(value["photos.min"]),
        languages=dict(value["languages.by_country"]),
        lab_report_validity_months=int(value["documents.lab_report.validity_months"]),
        lab_report_hs_prefixes=list(value["documents.lab_report.hs_prefixes"]),
        eudr_cutoff=dt.date.fromisoformat(str(value["eudr.cutoff_date"])),
        eudr_hs_prefixes=list(value["eudr.hs_prefixes"]),
    )


# -- facts -----------------------------------------------------------------------------------------


@dataclass
class _Facts:
    """Everything the rules read about one listing (gathered once, evaluated per country)."""

    product: Product
    variants: list[ProductVariant]
    photo_count: int
    profile: ExportProfile
    default_responsible: EuResponsiblePerson | None
    hs_known: bool
    prohibited_reason: str
    plots: list[tuple[Any, list[Any]]]  # (plot, its problems)
    documents: dict[str, list[Any]]
    expired_lab_report: bool = False


@dataclass
class _Context:
    """What a batch of listings shares: rules, the HS table, the prohibited list."""

    rules: Rules
    hs_codes: set[str]
    terms: list[ProhibitedTerm]
    default_responsible: EuResponsiblePerson | None
    on: dt.date


def _context(on: dt.date | None, *, hs_codes: Iterable[str] | None = None) -> _Context:
    if hs_codes is None:
        hs = set(HsCode.objects.filter(level=6).values_list("code", flat=True))
    else:
        hs = set(
            HsCode.objects.filter(level=6, code__in=list(hs_codes)).values_list("code", flat=True)
        )
    return _Context(
        rules=load_rules(),
        hs_codes=hs,
        terms=list(ProhibitedTerm.objects.all()),
        default_responsible=EuResponsiblePerson.objects.filter(is_marketplace_default=True).first(),
        on=on or timezone.localdate(),
    )


def _products(ids: Sequence[int]) -> list[Product]:
    return list(
        Product.objects.filter(pk__in=ids)
        .select_related(
            "category", "shop", "export_profile", "export_profile__eu_responsible_person"
        )
        .prefetch_related(
            Prefetch("variants", queryset=ProductVariant.objects.order_by("position", "pk"))
        )
        .annotate(photo_count=Count("photos", distinct=True))
        .order_by("pk")
    )


def _hs_code(product: Product) -> str:
    return product.hs_code or ""


def _is_eudr(product: Product, rules: Rules) -> bool:
    code = _hs_code(product) or product.category.default_hs_heading
    return bool(product.category.eudr_commodity) or any(
        code.startswith(prefix) for prefix in rules.eudr_hs_prefixes if code
    )


def _needs_lab_report(product: Product, rules: Rules) -> bool:
    code = _hs_code(product) or product.category.default_hs_heading
    return bool(code) and any(code.startswith(p) for p in rules.lab_report_hs_prefixes)


def _prohibited_reason(product: Product, terms: list[ProhibitedTerm]) -> str:
    """The catalog's screen (``catalog.services.screen_product``), its message included. The
    terms are matched here first, in memory, so only a listing that names one pays the screen's
    own query: recomputing thousands of listings reads the prohibited list once."""
    text = " ".join(
        str(getattr(product, build_localized_fieldname(name, language), "") or "")
        for name in ("title", "description")
        for language in LISTING_LANGUAGES
    ).lower()
    if not any(term.term.lower() in text for term in terms):
        return ""
    try:
        screen_product(product)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _plots(product: Product) -> list[tuple[Any, list[Any]]]:
    """The listing's plots and their geometry problems, by e2's rules (``marketplace.plots``):
    ``plot_problems`` is ``validate_plot`` for a stored plot (its decimals were rounded on save)."""
    try:
        plot_selectors: Any = importlib.import_module("marketplace.plots.selectors")
    except ImportError:  # the plots app is not installed: no plot can be linked
        return []
    return [
        (plot, list(plot_selectors.plot_problems(plot)))
        for plot in plot_selectors.plots_for_product(product)
    ]


def _documents(product: Product, kinds: Iterable[str], on: dt.date) -> dict[str, list[Any]]:
    """The listing's current documents per kind, by e3's rules (``marketplace.documents``)."""
    try:
        document_selectors: Any = importlib.import_module("marketplace.documents.selectors")
    except ImportError:  # the documents app is not installed: no document can be current
        return {kind: [] for kind in kinds}
    return {kind: list(document_selectors.current_documents(product, kind, on)) for kind in kinds}


def _has_expired_document(product: Product, kind: str, on: dt.date) -> bool:
    """Whether the listing had a document of ``kind`` that is no longer in force: the seller is
    told to renew it rather than to upload a first one (read only when none is current)."""
    try:
        document_models: Any = importlib.import_module("marketplace.documents.models")
    except ImportError:
        return False
    return bool(
        document_models.ExportDocument.objects.active()
        .filter(shop_id=product.shop_id, kind=kind, valid_until__lt=on)
        .filter(Q(product_id=product.pk) | Q(product__isnull=True))
        .exists()
    )


def _gather(product: Product, context: _Context) -> _Facts:
    rules = context.rules
    try:
        profile = cast(Any, product).export_profile
    except ExportProfile.DoesNotExist:
        profile = ExportProfile(product=product)
    kinds: list[str] = []
    if product.category.is_food:
        kinds += ["halal", "pirt", "bpom"]
        if _needs_lab_report(product, rules):
            kinds.append("lab_report")
    eudr = _is_eudr(product, rules)
    if eudr:
        kinds.append("deforestation_evidence")
    documents = _documents(product, kinds, context.on) if kinds else {}
    expired_lab_report = (
        "lab_report" in kinds
        and not documents.get("lab_report")
        and (_has_expired_document(product, "lab_report", context.on))
    )
    photo_count = getattr(product, "photo_count", None)
    if photo_count is None:
        photo_count = product.photos.count()
    return _Facts(
        product=product,
        variants=list(product.variants.all()),
        photo_count=int(photo_count),
        profile=profile,
        default_responsible=context.default_responsible,
        hs_known=_hs_code(product) in context.hs_codes,
        prohibited_reason=_prohibited_reason(product, context.terms),
        plots=_plots(product) if eudr else [],
        documents=documents,
        expired_lab_report=expired_lab_report,
    )


# -- rules -----------------------------------------------------------------------------------------


class _Checks:
    """Collects findings and counts checks (the progress bar is passed checks over all checks)."""

    def __init__(self, *, render: bool = True) -> None:
        #: ``False`` when the findings are only stored (their messages are rebuilt on reading).
        self.render = render
        self.findings: list[Finding] = []
        self.total = 0
        self.failed = 0

    def require(
        self, ok: bool, finding_code: str, field_name: str, *, blocking: bool = True, **params: Any
    ) -> None:
        self.total += 1
        if not ok:
            self.failed += 1
            self.fail(finding_code, field_name, blocking=blocking, tally=False, **params)

    def fail(
        self,
        finding_code: str,
        field_name: str,
        *,
        blocking: bool = True,
        tally: bool = True,
        **params: Any,
    ) -> None:
        if tally:
            self.total += 1
            self.failed += 1
        self.findings.append(
            Finding(
                code=finding_code,
                message=message_for(finding_code, params) if self.render else "",
                field=field_name,
                blocking=blocking,
                params=params,
            )
        )

    def result(self, country: str) -> Readiness:
        ready = not any(f.blocking for f in self.findings)
        progress = 100 if not self.total else round(100 * (self.total - self.failed) / self.total)
        return Readiness(country=country, ready=ready, findings=self.findings, progress=progress)


def _text(product: Product, name: str, language: str) -> str:
    return str(getattr(product, f"{name}_{language}", "") or "").strip()


def _indonesian(product: Product, name: str) -> str:
    return str(getattr(product, f"{name}_ind", "") or "").strip()


def _check_text(checks: _Checks, product: Product, language_options: list[str]) -> None:
    """Title and description in English and in (one of) the destination's languages; a text that
    is just the Indonesian one copied over is not a translation."""
    wanted: list[list[str]] = [["en"]]
    if language_options != ["en"]:
        wanted.append(language_options)
    for name in ("title", "description"):
        for options in wanted:
            filled = [lang for lang in options if _text(product, name, lang)]
            if not filled:
                checks.fail(
                    f"text.{name}.missing",
                    f"{name}_{options[0]}",
                    language=options[0],
                )
                continue
            original = _indonesian(product, name)
            translated = [lang for lang in filled if _text(product, name, lang) != original]
            checks.require(
                bool(translated),
                f"text.{name}.untranslated",
                f"{name}_{filled[0]}",
                language=filled[0],
            )


def _has_lang(texts: Any, options: list[str]) -> bool:
    return isinstance(texts, dict) and any(str(texts.get(lang) or "").strip() for lang in options)


def _evaluate_all_goods(checks: _Checks, facts: _Facts, rules: Rules, country: str) -> None:
    product = facts.product
    code = _hs_code(product)
    heading = product.category.default_hs_heading
    if not code:
        checks.fail("hs_code.missing", "hs_code")
    else:
        checks.require(facts.hs_known, "hs_code.unknown", "hs_code", code=code)
        checks.require(
            not heading or code.startswith(heading),
            "hs_code.category_mismatch",
            "hs_code",
            code=code,
            heading=heading,
        )
    if not facts.variants:
        checks.fail("variant.eur_price.missing", "variants", variant="")
    for variant in facts.variants:
        label = variant.name or variant.sku
        where = f"variant:{variant.pk}"
        checks.require(bool(variant.weight_grams), "variant.weight.missing", where, variant=label)
        checks.require(
            bool(variant.length_mm and variant.width_mm and variant.height_mm),
            "variant.dimensions.missing",
            where,
            variant=label,
        )
        checks.require(
            variant.export_price is not None and variant.export_price.amount > 0,
            "variant.eur_price.missing",
            where,
            variant=label,
        )
    _check_text(checks, product, rules.languages_for(country))
    checks.require(
        facts.photo_count >= rules.min_photos,
        "photos.too_few",
        "photos",
        minimum=rules.min_photos,
        count=facts.photo_count,
    )
    checks.require(
        not facts.prohibited_reason, "prohibited", "title", reason=facts.prohibited_reason
    )


def _evaluate_gpsr(checks: _Checks, facts: _Facts, rules: Rules, country: str) -> None:
    p = facts.profile
    f = "export_profile."
    checks.require(
        bool(p.manufacturer_name.strip()), "gpsr.manufacturer_name.missing", f + "manufacturer_name"
    )
    checks.require(
        bool(p.manufacturer_address.strip()),
        "gpsr.manufacturer_address.missing",
        f + "manufacturer_address",
    )
    checks.require(
        bool(p.manufacturer_email.strip()),
        "gpsr.manufacturer_email.missing",
        f + "manufacturer_email",
    )
    own = bool(p.own_responsible_name and p.own_responsible_address and p.own_responsible_email)
    checks.require(
        own or p.eu_responsible_person_id is not None or facts.default_responsible is not None,
        "gpsr.responsible_person.missing",
        f + "eu_responsible_person",
    )
    checks.require(
        bool(p.product_identifier.strip()),
        "gpsr.product_identifier.missing",
        f + "product_identifier",
    )
    options = rules.languages_for(country)
    checks.require(
        _has_lang(p.safety_warnings, options),
        "gpsr.warnings.missing",
        f + "safety_warnings",
        language=options[0],
    )
    if p.food_contact:
        checks.fail("gpsr.food_contact", f + "food_contact", blocking=False, tally=False)


def _evaluate_domestic_food(checks: _Checks, facts: _Facts) -> None:
    p = facts.profile
    docs = facts.documents
    checks.require(
        bool(p.pirt_number or p.bpom_number or docs.get("pirt") or docs.get("bpom")),
        "food.registration.missing",
        "export_profile.pirt_number",
    )
    checks.require(bool(docs.get("halal")), "food.halal.missing", "document:halal")


def _evaluate_food(checks: _Checks, facts: _Facts, rules: Rules, country: str, on: dt.date) -> None:
    p = facts.profile
    f = "export_profile."
    if p.animal_origin:
        checks.fail("food.animal_origin", f + "animal_origin")
    options = rules.languages_for(country)
    checks.require(
        _has_lang(p.ingredients, options),
        "food.ingredients.missing",
        f + "ingredients",
        language=options[0],
    )
    checks.require(p.allergens_declared, "food.allergens.missing", f + "allergens")
    checks.require(bool(p.net_quantity.strip()), "food.net_quantity.missing", f + "net_quantity")
    checks.require(bool(p.shelf_life_days), "food.shelf_life.missing", f + "shelf_life_days")
    nutrition = p.nutrition if isinstance(p.nutrition, dict) else {}
    missing = [key for key in NUTRITION_KEYS if nutrition.get(key) in (None, "")]
    checks.require(
        not missing, "food.nutrition.missing", f + "nutrition", missing=", ".join(missing)
    )
    checks.require(
        bool(p.food_business_name.strip() and p.food_business_address.strip()),
        "food.business.missing",
        f + "food_business_name",
    )
    _evaluate_domestic_food(checks, facts)
    if _needs_lab_report(facts.product, rules):
        reports = facts.documents.get("lab_report", [])
        months = rules.lab_report_validity_months
        oldest = _months_before(on, months)
        fresh = [d for d in reports if getattr(d, "issued_on", None) and d.issued_on >= oldest]
        if fresh:
            checks.require(True, "food.lab_report.missing", "document:lab_report")
        elif reports or facts.expired_lab_report:
            checks.fail("food.lab_report.expired", "document:lab_report", months=months)
        else:
            checks.fail("food.lab_report.missing", "document:lab_report")


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _evaluate_eudr(checks: _Checks, facts: _Facts, rules: Rules) -> None:
    p = facts.profile
    f = "export_profile."
    cutoff = rules.eudr_cutoff.isoformat()
    if not facts.plots:
        checks.fail("eudr.plots.missing", "plots")
    for plot, problems in facts.plots:
        plot_id = plot.pk
        checks.require(True, "eudr.plot", f"plot:{plot_id}")
        for problem in problems:
            checks.fail(
                f"eudr.plot.{problem.code}",
                f"plot:{plot_id}",
                plot=plot_id,
                detail=str(problem.message),
            )
    # The listing's harvest period, else the span of its plots' harvests.
    starts = [plot.harvest_start for plot, _problems in facts.plots if plot.harvest_start]
    ends = [plot.harvest_end for plot, _problems in facts.plots if plot.harvest_end]
    start = p.harvest_start or (min(starts) if starts else None)
    end = p.harvest_end or (max(ends) if ends else None)
    if not (start and end):
        checks.fail("eudr.harvest.missing", f + "harvest_start")
    else:
        checks.require(end >= start, "eudr.harvest.invalid", f + "harvest_end")
        checks.require(
            start > rules.eudr_cutoff,
            "eudr.harvest.before_cutoff",
            f + "harvest_start",
            cutoff=cutoff,
        )
    checks.require(
        p.deforestation_free_declared and p.declared_at is not None,
        "eudr.declaration.missing",
        f + "deforestation_free_declared",
        cutoff=cutoff,
    )
    checks.require(
        bool(facts.documents.get("deforestation_evidence")),
        "eudr.evidence.missing",
        "document:deforestation_evidence",
    )
    checks.require(
        bool(p.dds_reference.strip()), "eudr.dds.missing", f + "dds_reference", blocking=False
    )


def _evaluate(facts: _Facts, country: str, context: _Context, *, render: bool = True) -> Readiness:
    country = country.upper()
    rules = context.rules
    checks = _Checks(render=render)
    product = facts.product
    if country == HOME_COUNTRY:
        if product.category.is_food:
            _evaluate_domestic_food(checks, facts)
        return checks.result(country)
    _evaluate_all_goods(checks, facts, rules, country)
    if product.category.is_food:
        _evaluate_food(checks, facts, rules, country, context.on)
    else:
        _evaluate_gpsr(checks, facts, rules, country)
    if _is_eudr(product, rules):
        _evaluate_eudr(checks, facts, rules)
    return checks.result(country)


# -- public API ------------------------------------------------------------------------------------


def check(product: Product, country: str, *, on: dt.date | None = None) -> Readiness:
    """Whether ``product`` may be sold to a buyer in ``country`` ("ID" or an EU state), and what
    to fix. Reads the listing fresh (a few queries); messages are in the active language."""
    country = country.upper()
    if country != HOME_COUNTRY and country not in EU_COUNTRIES:
        raise ValueError(f"not a destination: {country}")
    fresh = _products([product.pk])
    if not fresh:
        raise Product.DoesNotExist(product.pk)
    context = _context(on, hs_codes=[fresh[0].hs_code] if fresh[0].hs_code else [])
    return _evaluate(_gather(fresh[0], context), country, context)


#: Listings read per batch by ``recompute`` (memory stays flat for 10,000 listings).
BATCH = 500


def recompute(product_ids: Iterable[int], *, on: dt.date | None = None) -> int:
    """Store the readiness of these listings for every destination; return how many rows.

    Upserts ``ReadinessResult`` in bulk and emits ``product.export_ready`` for each (listing,
    country) that was not ready before and is now.
    """
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        return 0
    context = _context(on)
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _recompute_batch(ids[start : start + BATCH], context)
    return written


@transaction.atomic
def _recompute_batch(ids: list[int], context: _Context) -> int:
    was_ready = set(
        ReadinessResult.objects.filter(product_id__in=ids, ready=True).values_list(
            "product_id", "country"
        )
    )
    now = timezone.now()
    rules = context.rules
    rows: list[ReadinessResult] = []
    products = _products(ids)
    for product in products:
        facts = _gather(product, context)
        # States that ask the same languages get the same findings: evaluated once per group.
        by_languages: dict[tuple[str, ...], Readiness] = {}
        for country in DESTINATIONS:
            key = (country,) if country == HOME_COUNTRY else tuple(rules.languages_for(country))
            if key not in by_languages:
                by_languages[key] = _evaluate(facts, country, context, render=False)
            result = by_languages[key]
            rows.append(
                ReadinessResult(
                    product_id=product.pk,
                    country=country,
                    ready=result.ready,
                    findings=[f.as_json() for f in result.findings],
                    progress=result.progress,
                    computed_at=now,
                )
            )
    # Listings deleted meanwhile have no row to keep.
    ReadinessResult.objects.filter(product_id__in=ids).exclude(
        product_id__in=[p.pk for p in products]
    ).delete()
    ReadinessResult.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["product", "country"],
        update_fields=["ready", "findings", "progress", "computed_at"],
    )
    # The EU market shows listings ready for at least one member state
    # (``catalog.selectors.products_for_market``): the search documents' market flags follow.
    was_listed = {pk for pk, country in was_ready if country in EU_COUNTRIES}
    now_listed = {row.product_id for row in rows if row.ready and row.country in EU_COUNTRIES}
    flipped = sorted(was_listed ^ now_listed)
    if flipped:
        transaction.on_commit(partial(_reindex_search, flipped))
    for row in rows:
        if (
            row.ready
            and row.country in EU_COUNTRIES
            and (row.product_id, row.country) not in was_ready
        ):
            events.emit("product.export_ready", product_id=row.product_id, country=row.country)
    return len(rows)


def _reindex_search(product_ids: list[int]) -> None:
    search_tasks: Any = importlib.import_module("marketplace.search.tasks")
    search_tasks.index_products.delay(product_ids)


# -- writes ----------------------------------------------------------------------------------------

#: The ``ExportProfile`` fields a seller edits (``declared_at`` is set by the service).
PROFILE_FIELDS: tuple[str, ...] = (
    "manufacturer_name",
    "manufacturer_address",
    "manufacturer_email",
    "own_responsible_name",
    "own_responsible_address",
    "own_responsible_email",
    "product_identifier",
    "safety_warnings",
    "food_contact",
    "ingredients",
    "allergens",
    "allergens_declared",
    "net_quantity",
    "shelf_life_days",
    "nutrition",
    "food_business_name",
    "food_business_address",
    "pirt_number",
    "bpom_number",
    "animal_origin",
    "harvest_start",
    "harvest_end",
    "deforestation_free_declared",
    "dds_reference",
)


def _clean_profile(data: dict[str, Any]) -> dict[str, Any]:
    """Refuse what the model cannot hold, keyed by field; every field is checked before any
    write, so a refused form saves nothing."""
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not export-profile fields: {sorted(unknown)}")
    allergens = data.get("allergens")
    if allergens is not None:
        known = {code for code, _label in ALLERGENS}
        if not isinstance(allergens, list) or not set(allergens) <= known:
            errors["allergens"] = [_("Choose allergens from the list.")]
    nutrition = data.get("nutrition")
    if nutrition:
        for key, value in nutrition.items():
            if key not in NUTRITION_KEYS or value in (None, ""):
                continue
            try:
                if Decimal(str(value)) < 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors.setdefault("nutrition", []).append(
                    _("Nutrition values are numbers of zero or more.")
                )
                break
    for name in ("safety_warnings", "ingredients"):
        texts = data.get(name)
        if texts is not None and not (
            isinstance(texts, dict) and all(isinstance(v, str) for v in texts.values())
        ):
            errors[name] = [_("Enter a text per language.")]
    start, end = data.get("harvest_start"), data.get("harvest_end")
    if start and end and end < start:
        errors["harvest_end"] = [_("The harvest period ends before it starts.")]
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def save_export_profile(actor: Any, product: Product, data: dict[str, Any]) -> ExportProfile:
    """Write the listing's export data (only the fields given), then recompute its readiness.

    Checks ``can_manage_shop`` on the listing's shop, validates every field first, records an
    audit entry on behalf of the shop and emits ``product.export_profile_changed`` (the readiness
    handlers recompute on it). Declaring "no deforestation" stamps ``declared_at`` with the time
    the seller declared it; withdrawing the declaration clears it.
    """
    permissions.require(permissions.can_manage_shop, actor, product.shop)
    cleaned = _clean_profile(dict(data))
    profile, _created = ExportProfile.objects.select_for_update().get_or_create(product=product)
    for name, value in cleaned.items():
        setattr(profile, name, value)
    if "deforestation_free_declared" in cleaned:
        if not cleaned["deforestation_free_declared"]:
            profile.declared_at = None
        elif profile.declared_at is None:
            profile.declared_at = timezone.now()
    try:
        profile.full_clean(exclude=["product", "eu_responsible_person"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    profile.save()
    record(
        actor,
        "product.export_profile_changed",
        product,
        on_behalf_of=product.shop,
        data={"fields": sorted(cleaned)},
    )
    events.emit("product.export_profile_changed", product_id=product.pk)
    return profile


def is_eudr_product(product: Product) -> bool:
    """Whether the EUDR rules apply to the listing (its category or HS code; rules as data)."""
    return _is_eudr(product, load_rules())
