"""Certificates and papers a shop uploads for export: lab reports, halal, P-IRT, phytosanitary...

A document belongs to a shop and optionally to one listing: without a listing it is shop-wide and
covers every listing of the shop (a P-IRT number or a halal certificate is issued to the producer,
a lab report to one batch of one product). Documents are evidence an inspector may ask for years
later, so they are never deleted: ``deleted_at`` hides one from the seller and from the readiness
check while the row and its file stay (five years, like the EUDR records).

How long a document without an expiry date counts is data, not a constant: ``DocumentRule`` rows
(kind, validity in months, source) are edited by operators; see ``selectors.valid_until``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PHYTOSANITARY = "phytosanitary", _("phytosanitary certificate")
    LAB_REPORT = "lab_report", _("lab report")
    HALAL = "halal", _("halal certificate")
    PIRT = "pirt", _("P-IRT registration")
    BPOM = "bpom", _("BPOM registration")
    ORIGIN_STATEMENT = "origin_statement", _("origin statement")
    DEFORESTATION_EVIDENCE = "deforestation_evidence", _("deforestation-free evidence")


class DocumentRule(models.Model):
    """How long a kind of document counts from its issue date when it has no expiry date."""

    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices, unique=True)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: the document does not expire unless it states an expiry date."),
    )
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("document rule")
        verbose_name_plural = _("document rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.validity_months or '∞'}"


class ExportDocumentQuerySet(models.QuerySet["ExportDocument"]):
    def active(self) -> ExportDocumentQuerySet:
        """Not deleted by the seller (deleted rows are kept as evidence)."""
        return self.filter(deleted_at__isnull=True)


class ExportDocument(models.Model):
    shop = models.ForeignKey(
        "sellers.Shop", on_delete=models.PROTECT, related_name="export_documents"
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        related_name="export_documents",
        null=True,
        blank=True,
        help_text=_("Empty: the document covers every listing of the shop."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=100)
    issuer = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    #: The computed last day it counts (``expires_on`` or issued_on + the rule's months): stored
    #: so the readiness check and the expiry warning filter in the database.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    warned_at = models.DateTimeField(_("expiry warning sent"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ExportDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("export document")
        verbose_name_plural = _("export documents")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["shop", "kind"]),
            models.Index(fields=["valid_until", "warned_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
