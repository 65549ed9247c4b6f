"""Forms of the seller dashboard. They collect and tidy input; the catalog services decide.

Only what a field needs to be read at all is checked here (a number is a number, a choice is one
of the choices). Whether a price is high enough, a SKU free or a title present is the services'
rule (``marketplace.catalog.services``); their ``ValidationError`` comes back through
``add_service_errors`` and is shown next to the field it names.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from marketplace.accounts.forms import add_service_errors
from marketplace.catalog.models import Category, Product, ProductStatus, ProductVariant
from marketplace.catalog.services import LISTING_LANGUAGES, OPTION_KEYS, ProductInput, VariantInput
from marketplace.photos.forms import PhotoField, PhotoInput, PhotoUploadForm

#: The listing languages other than Indonesian, offered in a collapsed section.
EXTRA_LANGUAGES: tuple[tuple[str, Any], ...] = (
    ("en", _("English")),
    ("de", _("German")),
    ("nl", _("Dutch")),
    ("fr", _("French")),
)

OPTION_LABELS: dict[str, Any] = {
    "weight": _("Weight or size of the pack"),
    "size": _("Size"),
    "roast": _("Roast or grind"),
    "colour": _("Colour or motif"),
}

# "25.000", "25,000" and "1.250.000" are how rupiah are written: thousands separators, never cents.
_IDR_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")
# "12,50" is how most of the EU writes euros.
_EUR_COMMA = re.compile(r"^\d+,\d{1,2}$")


def normalise_idr(text: str) -> str:
    """Read a rupiah amount the way sellers type it: "Rp 25.000" means twenty-five thousand.

    Anything that is not plainly a grouped whole number is passed on untouched, so the service
    judges it (and says "Enter a number." or "Too many decimal places.").
    """
    value = re.sub(r"(?i)^rp\.?", "", text.strip()).replace(" ", "")
    if _IDR_GROUPED.match(value):
        return value.replace(".", "").replace(",", "")
    return value


def normalise_eur(text: str) -> str:
    """Accept a decimal comma ("12,50") as well as a decimal point."""
    value = text.strip().lstrip("€").replace(" ", "")
    if _EUR_COMMA.match(value):
        return value.replace(",", ".")
    return value


def show_service_errors(
    form: forms.Form, exc: ValidationError, renamed: dict[str, str] | None = None
) -> None:
    """``add_service_errors``, after renaming the service's field names to this form's."""
    if renamed and hasattr(exc, "error_dict"):
        exc = ValidationError(
            {renamed.get(name, name): errors for name, errors in exc.error_dict.items()}
        )
    add_service_errors(form, exc)


class ProductFilterForm(forms.Form):
    """Search and filter of "My products"; a GET form, so every field is optional."""

    q = forms.CharField(
        label=_("Title or SKU"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + [(s.value, s.label) for s in ProductStatus],
    )
    low = forms.BooleanField(label=_("Only low stock"), required=False)


class ProductForm(forms.Form):
    """Title, category and description; Indonesian required, other languages optional."""

    title_id = forms.CharField(
        label=_("Product name (Indonesian)"),
        max_length=150,
        error_messages={"required": _("Write the title in Indonesian.")},
        help_text=_("What a buyer searches for, e.g. Kopi Robusta Kemiren."),
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        empty_label=_("Choose a category"),
        error_messages={"required": _("Choose a category.")},
    )
    description_id = forms.CharField(
        label=_("Description (Indonesian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How it is made, taste, size, how to store it."),
    )
    ships_to_eu = forms.BooleanField(
        label=_("Offer it to buyers in Europe"),
        required=False,
        help_text=_("Buyers in the EU see it when a variant has a price in euro."),
    )

    def __init__(self, *args: Any, product: Product | None = None, **kwargs: Any) -> None:
        if product is not None and "initial" not in kwargs:
            kwargs["initial"] = product_initial(product)
        super().__init__(*args, **kwargs)
        for code, name in EXTRA_LANGUAGES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Product name (%(language)s)") % {"language": name},
                max_length=150,
                required=False,
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("title_id", "category", "description_id", "ships_to_eu")]

    def language_fields(self) -> list[forms.BoundField]:
        return [
            self[f"{kind}_{code}"]
            for code, _name in EXTRA_LANGUAGES
            for kind in ("title", "description")
        ]

    def has_language_errors(self) -> bool:
        return any(field.errors for field in self.language_fields())

    def to_input(self) -> ProductInput:
        data = self.cleaned_data
        return ProductInput(
            category=data["category"],
            title={code: data.get(f"title_{code}") or "" for code in LISTING_LANGUAGES},
            description={code: data.get(f"description_{code}") or "" for code in LISTING_LANGUAGES},
            ships_to_eu=bool(data.get("ships_to_eu")),
        )


def product_initial(product: Product) -> dict[str, Any]:
    initial: dict[str, Any] = {"category": product.category_id, "ships_to_eu": product.ships_to_eu}
    for code in LISTING_LANGUAGES:
        for name in ("title", "description"):
            value = getattr(product, build_localized_fieldname(name, code))
            initial[f"{name}_{code}"] = value or ""
    return initial


class VariantForm(forms.Form):
    """One sellable item of a listing: its code, price, pack and, when new, its first stock."""

    sku = forms.CharField(
        label=_("SKU (your own code)"),
        max_length=64,
        error_messages={"required": _("Enter a SKU (your own code for this item).")},
        help_text=_("Short and unique in your shop, e.g. KOPI-250."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("Variant name"),
        max_length=100,
        required=False,
        help_text=_("For example: 250 g, ground"),
    )
    price_idr = forms.CharField(
        label=_("Price in rupiah"),
        max_length=20,
        error_messages={"required": _("Enter the price in rupiah.")},
        help_text=_("For example 45000 or 45.000"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    export_price_eur = forms.CharField(
        label=_("Export price in euro (optional)"),
        max_length=20,
        required=False,
        help_text=_("For buyers in Europe, e.g. 12.50"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    weight_grams = forms.IntegerField(
        label=_("Weight in grams, packed"),
        required=False,
        help_text=_("Used to work out shipping."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    length_mm = forms.IntegerField(label=_("Length (mm)"), required=False)
    width_mm = forms.IntegerField(label=_("Width (mm)"), required=False)
    height_mm = forms.IntegerField(label=_("Height (mm)"), required=False)
    low_stock_threshold = forms.IntegerField(
        label=_("Warn me when stock is at or below"),
        min_value=0,
        max_value=100_000,
        initial=3,
    )
    initial_stock = forms.IntegerField(
        label=_("How many do you have now?"),
        required=False,
        initial=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, variant: ProductVariant | None = None, **kwargs: Any) -> None:
        if variant is not None and "initial" not in kwargs:
            kwargs["initial"] = variant_initial(variant)
        super().__init__(*args, **kwargs)
        for key in OPTION_KEYS:
            self.fields[f"option_{key}"] = forms.CharField(
                label=OPTION_LABELS[key], max_length=60, required=False
            )
        if variant is not None:
            # Stock of an existing variant changes through the stock page, with its history.
            del self.fields["initial_stock"]

    def option_fields(self) -> list[forms.BoundField]:
        return [self[f"option_{key}"] for key in OPTION_KEYS]

    def size_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("weight_grams", "length_mm", "width_mm", "height_mm")]

    def to_input(self) -> VariantInput:
        data = self.cleaned_data
        return VariantInput(
            sku=data["sku"],
            name=data.get("name") or "",
            price_idr=normalise_idr(data["price_idr"]),
            export_price_eur=normalise_eur(data.get("export_price_eur") or "") or None,
            options={key: data.get(f"option_{key}") or "" for key in OPTION_KEYS},
            weight_grams=data.get("weight_grams"),
            length_mm=data.get("length_mm"),
            width_mm=data.get("width_mm"),
            height_mm=data.get("height_mm"),
            low_stock_threshold=data["low_stock_threshold"],
        )


def variant_initial(variant: ProductVariant) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "sku": variant.sku,
        "name": variant.name,
        "price_idr": f"{variant.price.amount:.0f}",
        "export_price_eur": f"{variant.export_price.amount:.2f}" if variant.export_price else "",
        "weight_grams": variant.weight_grams,
        "length_mm": variant.length_mm,
        "width_mm": variant.width_mm,
        "height_mm": variant.height_mm,
        "low_stock_threshold": variant.low_stock_threshold,
    }
    for key in OPTION_KEYS:
        initial[f"option_{key}"] = (variant.options or {}).get(key, "")
    return initial


class StockForm(forms.Form):
    """Add or remove some items, or set the number just counted on the shelf."""

    ADD, REMOVE, SET = "add", "remove", "set"

    action = forms.ChoiceField(
        label=_("What happened?"),
        choices=[
            (ADD, _("Add items (new batch made or bought)")),
            (REMOVE, _("Remove items (damaged, used, sold elsewhere)")),
            (SET, _("I counted them: set the stock")),
        ],
        initial=ADD,
        widget=forms.RadioSelect,
    )
    quantity = forms.IntegerField(
        label=_("How many"),
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: harvest of March, two bags wet."),
    )


def camera_input() -> PhotoInput:
    """``accept="image/*" capture="environment"``: a phone opens its back camera at once."""
    return PhotoInput(capture="environment")


class FirstPhotoForm(forms.Form):
    """Step 1 of a new listing: one photo, nothing else to fill in."""

    photo = PhotoField(label=_("Take or choose a photo of your product"), widget=camera_input())


class AddPhotoForm(PhotoUploadForm):
    """``marketplace.photos``' upload form, opening the camera on a phone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget = camera_input()
