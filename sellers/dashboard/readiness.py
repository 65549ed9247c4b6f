"""The seller's "Siap ekspor" page of a listing: readiness for a destination, what to fix, and the
export data form (GPSR, food label, EUDR sections, shown by the listing's category).

Thin like every dashboard page: ``marketplace.readiness.services.check`` decides (live, so the
page shows the effect of a fix at once; buyers and checkout read the stored result), the form only
parses, ``services.save_export_profile`` checks the rule, validates and writes. Guarded by
``can_manage_shop`` on the shop in the URL; another shop's listing is a 404. No JavaScript: the
destination is a GET form, the data a POST form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.accounts.forms import add_service_errors
from marketplace.catalog.models import Product
from marketplace.markets.markets import country_name
from marketplace.readiness import services
from marketplace.readiness.models import ALLERGENS, NUTRITION_KEYS, ExportProfile
from marketplace.taxes.countries import EU_COUNTRIES

from .views import _shop, manage_shop

DEFAULT_COUNTRY = "DE"
LANGUAGES: tuple[tuple[str, Any], ...] = (
    ("en", gettext_lazy("English")),
    ("de", gettext_lazy("German")),
    ("nl", gettext_lazy("Dutch")),
    ("fr", gettext_lazy("French")),
)
NUTRITION_LABELS: dict[str, Any] = {
    "energy_kj": gettext_lazy("Energy (kJ)"),
    "fat_g": gettext_lazy("Fat (g)"),
    "saturates_g": gettext_lazy("of which saturates (g)"),
    "carbohydrate_g": gettext_lazy("Carbohydrate (g)"),
    "sugars_g": gettext_lazy("of which sugars (g)"),
    "protein_g": gettext_lazy("Protein (g)"),
    "salt_g": gettext_lazy("Salt (g)"),
}

_DATE = forms.DateInput(attrs={"type": "date"})
_TEXT = forms.Textarea(attrs={"rows": 2})


class ExportProfileForm(forms.Form):
    """Parses the sections that apply to the listing; texts per language become JSON."""

    def __init__(self, *args: Any, gpsr: bool, food: bool, eudr: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = {"gpsr": gpsr, "food": food, "eudr": eudr}
        f = self.fields
        before: set[str] = set()
        self.section_fields: dict[str, list[str]] = {}

        def close(section: str) -> None:
            self.section_fields[section] = [name for name in f if name not in before]
            before.update(f)

        if gpsr:
            f["manufacturer_name"] = forms.CharField(label=_("Manufacturer name"), required=False)
            f["manufacturer_address"] = forms.CharField(
                label=_("Manufacturer postal address"), required=False, widget=_TEXT
            )
            f["manufacturer_email"] = forms.EmailField(
                label=_("Manufacturer e-mail address"), required=False
            )
            f["own_responsible_name"] = forms.CharField(
                label=_("Own EU responsible person: name"),
                required=False,
                help_text=_("Leave empty to use the marketplace's EU partner."),
            )
            f["own_responsible_address"] = forms.CharField(
                label=_("Own EU responsible person: address"), required=False, widget=_TEXT
            )
            f["own_responsible_email"] = forms.EmailField(
                label=_("Own EU responsible person: e-mail"), required=False
            )
            f["product_identifier"] = forms.CharField(
                label=_("Product identifier (batch, model or type)"), required=False
            )
            for code, name in LANGUAGES:
                f[f"safety_warnings_{code}"] = forms.CharField(
                    label=_("Safety warnings (%(language)s)") % {"language": name},
                    required=False,
                    widget=_TEXT,
                )
            f["food_contact"] = forms.BooleanField(
                label=_("This item is meant to touch food (plates, cups, spoons)"), required=False
            )
            close("gpsr")
        if food:
            for code, name in LANGUAGES:
                f[f"ingredients_{code}"] = forms.CharField(
                    label=_("Ingredients (%(language)s)") % {"language": name},
                    required=False,
                    widget=_TEXT,
                )
            f["allergens"] = forms.MultipleChoiceField(
                label=_("Allergens it contains"),
                choices=ALLERGENS,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            f["allergens_declared"] = forms.BooleanField(
                label=_("I checked the allergens (also when there are none)"), required=False
            )
            f["net_quantity"] = forms.CharField(
                label=_("Net quantity (e.g. 250 g)"), required=False
            )
            f["shelf_life_days"] = forms.IntegerField(
                label=_("Shelf life (days)"), required=False, min_value=1
            )
            for key in NUTRITION_KEYS:
                f[f"nutrition_{key}"] = forms.DecimalField(
                    label=NUTRITION_LABELS[key], required=False, min_value=0, decimal_places=2
                )
            f["food_business_name"] = forms.CharField(label=_("Food business name"), required=False)
            f["food_business_address"] = forms.CharField(
                label=_("Food business address"), required=False, widget=_TEXT
            )
            f["pirt_number"] = forms.CharField(
                label=_("P-IRT number (15 digits)"), required=False, max_length=15
            )
            f["bpom_number"] = forms.CharField(label=_("BPOM number"), required=False)
            f["animal_origin"] = forms.BooleanField(
                label=_("Contains meat, fish, milk, eggs or honey"), required=False
            )
            close("food")
        if eudr:
            f["harvest_start"] = forms.DateField(
                label=_("Harvest from"), required=False, widget=_DATE
            )
            f["harvest_end"] = forms.DateField(
                label=_("Harvest until"), required=False, widget=_DATE
            )
            f["deforestation_free_declared"] = forms.BooleanField(
                label=_("I declare that no forest was cleared on these plots after 31 Dec 2020"),
                required=False,
            )
            f["dds_reference"] = forms.CharField(
                label=_("Due-diligence statement reference (once filed)"), required=False
            )
            close("eudr")

    def section(self, name: str) -> list[forms.BoundField]:
        return [self[field] for field in self.section_fields.get(name, [])]

    @staticmethod
    def initial_from(profile: ExportProfile) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
        for name in ("safety_warnings", "ingredients"):
            texts = initial.pop(name) or {}
            for code, _name in LANGUAGES:
                initial[f"{name}_{code}"] = texts.get(code, "")
        nutrition = initial.pop("nutrition") or {}
        for key in NUTRITION_KEYS:
            initial[f"nutrition_{key}"] = nutrition.get(key)
        return initial

    def profile_data(self) -> dict[str, Any]:
        """The cleaned fields as ``save_export_profile`` takes them (only the shown sections)."""
        data = dict(self.cleaned_data)
        out: dict[str, Any] = {}
        for name in ("safety_warnings", "ingredients"):
            if f"{name}_en" in data:
                out[name] = {
                    code: text.strip()
                    for code, _name in LANGUAGES
                    if (text := data.pop(f"{name}_{code}") or "").strip()
                }
        if "nutrition_energy_kj" in data:
            out["nutrition"] = {
                key: str(value)
                for key in NUTRITION_KEYS
                if (value := data.pop(f"nutrition_{key}")) is not None
            }
        for name, value in data.items():
            if name == "allergens":
                out[name] = list(value)
            elif name in services.PROFILE_FIELDS:
                out[name] = value if value is not None else _empty(name)
        return out


def _empty(name: str) -> Any:
    return None if name in ("shelf_life_days", "harvest_start", "harvest_end") else ""


@dataclass(frozen=True)
class FindingRow:
    code: str
    message: str
    url: str


#: Form fields that are several inputs: the anchor of the first one.
_ANCHORS = {
    "nutrition": "nutrition_energy_kj",
    "allergens": "allergens_declared",
    "eu_responsible_person": "own_responsible_name",
}


def _fix_url(shop_slug: str, product: Product, field: str, language: str) -> str:
    """Where the seller fixes what a finding names (texts per language: the destination's)."""
    kind, _sep, ref = field.partition(":")
    pk = product.pk
    if field.startswith("export_profile."):
        name = field.removeprefix("export_profile.")
        if name in ("safety_warnings", "ingredients"):
            return f"#id_{name}_{language}"
        return "#id_" + _ANCHORS.get(name, name)
    if kind == "variant" and ref.isdigit():
        return reverse("dashboard:variant_edit", args=[shop_slug, pk, int(ref)])
    if kind == "plot" and ref.isdigit():
        return reverse("dashboard:plot_edit", args=[shop_slug, int(ref)])
    if kind == "document":
        return reverse("dashboard:documents", args=[shop_slug])
    if field == "plots":
        return reverse("dashboard:plots", args=[shop_slug])
    if field == "photos":
        return reverse("dashboard:photos", args=[shop_slug, pk])
    if field == "variants":
        return reverse("dashboard:variant_new", args=[shop_slug, pk])
    return reverse("dashboard:product_details", args=[shop_slug, pk])


def _destinations() -> list[tuple[str, str]]:
    return sorted(((code, country_name(code)) for code in EU_COUNTRIES), key=lambda c: c[1])


@manage_shop
def product_readiness(request: HttpRequest, shop_slug: str, pk: int) -> HttpResponse:
    shop = _shop(request, shop_slug)
    product: Product = get_object_or_404(
        Product.objects.select_related("category"), shop=shop, pk=pk
    )
    country = (request.GET.get("negara") or DEFAULT_COUNTRY).upper()
    if country not in EU_COUNTRIES:
        country = DEFAULT_COUNTRY
    profile = ExportProfile.objects.filter(product=product).first() or ExportProfile(
        product=product
    )
    food = product.category.is_food
    eudr = services.is_eudr_product(product)
    form_kwargs = {"gpsr": not food, "food": food, "eudr": eudr}
    if request.method == "POST":
        form = ExportProfileForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.save_export_profile(request.user, product, form.profile_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The export details were saved."))
                url = reverse("dashboard:product_readiness", args=[shop.slug, product.pk])
                return redirect(f"{url}?negara={country}")
    else:
        form = ExportProfileForm(initial=ExportProfileForm.initial_from(profile), **form_kwargs)
    result = services.check(product, country)
    language = services.load_rules().languages_for(country)[0]
    rows = [
        (f.blocking, FindingRow(f.code, f.message, _fix_url(shop.slug, product, f.field, language)))
        for f in result.findings
    ]
    return render(
        request,
        "sellers/dashboard/readiness.html",
        {
            "shop": shop,
            "product": product,
            "country": country,
            "country_label": country_name(country),
            "destinations": _destinations(),
            "result": result,
            "blocking": [row for blocking, row in rows if blocking],
            "warnings": [row for blocking, row in rows if not blocking],
            "form": form,
            "sections": {name: form.section(name) for name in ("gpsr", "food", "eudr")},
        },
        status=400 if form.errors else 200,
    )
