"""Photos of a listing.

An upload is never stored as it came: ``services.add_photo`` validates it, applies the EXIF
orientation, strips every byte of metadata (a phone's GPS position is the seller's home) and stores
a normalised *master*. ``tasks.make_derivatives`` then writes WebP and AVIF copies at a fixed ladder
of widths and records their names and sizes in ``derivatives``, so a page renders ``srcset`` without
asking the storage (S3 in production) anything. Pages show derivatives only, never the master.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rendition(TypedDict):
    """One derivative file, as stored in ``ProductPhoto.derivatives``."""

    w: int
    h: int
    name: str
    bytes: int


class ProductPhoto(models.Model):
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("product"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    alt_text = models.CharField(
        _("what the photo shows"),
        max_length=250,
        blank=True,
        help_text=_("Read aloud to buyers who cannot see the photo."),
    )
    #: Storage name of the normalised master (no metadata). Kept to re-make derivatives; never
    #: linked from a page. A plain name, not a FileField, so nothing offers its ``.url``.
    master = models.CharField(max_length=255, editable=False)
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    #: Dominant colour, ``#rrggbb``: the box's background until an image arrives.
    placeholder_color = models.CharField(max_length=7, default="#dddddd", editable=False)
    #: A ~16 px WebP as a ``data:`` URI (a few hundred bytes): a blurred preview.
    placeholder_uri = models.TextField(blank=True, editable=False)
    #: ``{"webp": [Rendition, …], "avif": [...]}`` by ascending width; empty until the task ran.
    derivatives = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["product", "position"])]

    def __str__(self) -> str:
        return f"{self.product_id} #{self.position}: {self.alt_text or self.master}"

    @property
    def is_ready(self) -> bool:
        """True once the derivatives exist; until then pages show the placeholder."""
        return bool(self.derivatives.get("webp"))

    def renditions(self, fmt: str = "webp") -> list[Rendition]:
        return list(self.derivatives.get(fmt, []))

    def srcset(self, fmt: str = "webp") -> str:
        """``url width`` pairs for ``srcset`` (empty until the derivatives exist)."""
        return ", ".join(
            f"{default_storage.url(r['name'])} {r['w']}w" for r in self.renditions(fmt)
        )

    def rendition_for(self, width: int, fmt: str = "webp") -> Rendition | None:
        """The smallest derivative at least ``width`` wide, else the largest (``None`` before)."""
        renditions = self.renditions(fmt)
        if not renditions:
            return None
        return next((r for r in renditions if r["w"] >= width), renditions[-1])

    @property
    def is_opaque(self) -> bool:
        """Masters with transparency are stored as WebP, opaque ones as JPEG."""
        return self.master.endswith(".jpg")

    def stored_names(self) -> list[str]:
        """Every file this photo owns in storage: the master and all derivatives."""
        names = [self.master] if self.master else []
        for renditions in (self.derivatives or {}).values():
            names.extend(r["name"] for r in renditions)
        return names

    def to_audit(self) -> dict[str, Any]:
        return {"photo_id": self.pk, "position": self.position}
