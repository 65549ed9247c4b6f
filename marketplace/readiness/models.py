"""Export readiness: the HS table, a listing's export data, thresholds as data and stored results.

The rules themselves live in ``services.check``; every figure they use (photo count, languages,
document validity, EUDR cut-off, plot thresholds) is a ``ReadinessRule`` row with its source, so an
operator can correct a figure without a release (``shared/reference/export-eu.md`` marks several
as "verify").
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The 14 allergens Reg. 1169/2011 Annex II requires to be emphasised.
ALLERGENS: tuple[tuple[str, Any], ...] = (
    ("gluten", _("cereals containing gluten")),
    ("crustaceans", _("crustaceans")),
    ("eggs", _("eggs")),
    ("fish", _("fish")),
    ("peanuts", _("peanuts")),
    ("soybeans", _("soybeans")),
    ("milk", _("milk")),
    ("nuts", _("tree nuts")),
    ("celery", _("celery")),
    ("mustard", _("mustard")),
    ("sesame", _("sesame seeds")),
    ("sulphites", _("sulphur dioxide and sulphites")),
    ("lupin", _("lupin")),
    ("molluscs", _("molluscs")),
)

#: The mandatory nutrition declaration per 100 g (Reg. 1169/2011 Art. 30(1)).
NUTRITION_KEYS: tuple[str, ...] = (
    "energy_kj",
    "fat_g",
    "saturates_g",
    "carbohydrate_g",
    "sugars_g",
    "protein_g",
    "salt_g",
)


class HsCode(models.Model):
    """One line of the Harmonized System 2022: a chapter (2), heading (4) or subheading (6)."""

    code = models.CharField(_("HS code"), max_length=6, primary_key=True)
    level = models.PositiveSmallIntegerField(_("digits"), choices=[(2, "2"), (4, "4"), (6, "6")])
    description = models.TextField(_("description"))
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:60]}"


class EuResponsiblePerson(models.Model):
    """The economic operator established in the EU that GPSR Art. 16 requires for non-food goods.

    Operators keep the marketplace's partner here (``is_marketplace_default``), used for every
    listing whose seller names none of their own."""

    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("postal address"))
    email = models.EmailField(_("e-mail address"))
    is_marketplace_default = models.BooleanField(_("marketplace default"), default=False)

    class Meta:
        verbose_name = _("EU responsible person")
        verbose_name_plural = _("EU responsible persons")
        constraints = [
            models.UniqueConstraint(
                fields=["is_marketplace_default"],
                condition=models.Q(is_marketplace_default=True),
                name="one_default_eu_responsible_person",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ExportProfile(models.Model):
    """What the EU rules ask of one listing beyond the catalog: GPSR, food label and EUDR data.

    Texts a buyer must read in their language are JSON ``{language: text}`` (``en``, ``de``,
    ``nl``, ``fr``), so a new destination language needs no migration."""

    product = models.OneToOneField(
        "catalog.Product", on_delete=models.CASCADE, related_name="export_profile"
    )
    # GPSR (Reg. 2023/988 Art. 19)
    manufacturer_name = models.CharField(_("manufacturer name"), max_length=200, blank=True)
    manufacturer_address = models.TextField(_("manufacturer postal address"), blank=True)
    manufacturer_email = models.EmailField(_("manufacturer e-mail address"), blank=True)
    eu_responsible_person = models.ForeignKey(
        EuResponsiblePerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("EU responsible person"),
    )
    own_responsible_name = models.CharField(
        _("own EU responsible person: name"), max_length=200, blank=True
    )
    own_responsible_address = models.TextField(_("own EU responsible person: address"), blank=True)
    own_responsible_email = models.EmailField(_("own EU responsible person: e-mail"), blank=True)
    product_identifier = models.CharField(
        _("product identifier (batch, model or type)"), max_length=100, blank=True
    )
    safety_warnings = models.JSONField(_("safety warnings per language"), default=dict, blank=True)
    food_contact = models.BooleanField(_("meant to touch food"), default=False)
    # Food (Reg. 1169/2011)
    ingredients = models.JSONField(_("ingredients per language"), default=dict, blank=True)
    allergens = models.JSONField(_("allergens"), default=list, blank=True)
    allergens_declared = models.BooleanField(
        _("allergens checked (also when there are none)"), default=False
    )
    net_quantity = models.CharField(_("net quantity"), max_length=50, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    nutrition = models.JSONField(_("nutrition per 100 g"), default=dict, blank=True)
    food_business_name = models.CharField(_("food business name"), max_length=200, blank=True)
    food_business_address = models.TextField(_("food business address"), blank=True)
    pirt_number = models.CharField(
        _("P-IRT number"),
        max_length=15,
        blank=True,
        validators=[RegexValidator(r"^\d{15}$", _("A P-IRT number has 15 digits."))],
    )
    bpom_number = models.CharField(_("BPOM number"), max_length=30, blank=True)
    animal_origin = models.BooleanField(_("contains goods of animal origin"), default=False)
    # EUDR (Reg. 2023/1115)
    harvest_start = models.DateField(_("harvest from"), null=True, blank=True)
    harvest_end = models.DateField(_("harvest until"), null=True, blank=True)
    deforestation_free_declared = models.BooleanField(
        _("declared free of deforestation"), default=False
    )
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    dds_reference = models.CharField(
        _("due-diligence statement reference"), max_length=64, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("export profile")
        verbose_name_plural = _("export profiles")

    def __str__(self) -> str:
        return f"export profile of product {self.product_id}"


class ReadinessRule(models.Model):
    """A threshold of the readiness rules, as data with its source (editable by operators)."""

    key = models.CharField(_("key"), max_length=60, unique=True)
    value = models.JSONField(_("value"))
    source = models.CharField(_("source"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("readiness rule")
        verbose_name_plural = _("readiness rules")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class ReadinessResult(models.Model):
    """The stored outcome of ``services.check`` for one listing and destination (fast filters)."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="readiness_results"
    )
    country = models.CharField(_("country"), max_length=2)
    ready = models.BooleanField(_("ready"), default=False)
    findings = models.JSONField(_("findings"), default=list)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("readiness result")
        verbose_name_plural = _("readiness results")
        constraints = [
            models.UniqueConstraint(fields=["product", "country"], name="one_result_per_country")
        ]
        indexes = [models.Index(fields=["country", "ready"], name="readiness_country_ready")]

    def __str__(self) -> str:
        return f"{self.product_id} {self.country}: {'ready' if self.ready else 'not ready'}"
