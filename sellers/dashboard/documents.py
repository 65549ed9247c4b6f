"""The seller's "Dokumen" page: export certificates and reports, and the form to upload one.

Thin like every dashboard page: the form parses, ``marketplace.documents.services`` checks the
rule, the dates and the file's content, and writes. Guarded by ``can_manage_shop`` on the shop in
the URL; another shop's document is a 404. A document is never really deleted (it may be evidence
for years): "delete" hides it from the list and from the readiness check.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.accounts.forms import add_service_errors
from marketplace.catalog.models import Product
from marketplace.documents import selectors, services
from marketplace.documents.models import DocumentKind, ExportDocument
from sellers.models import Shop

from .views import _shop, manage_shop


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of document"), choices=DocumentKind.choices)
    product: forms.ModelChoiceField[Product] = forms.ModelChoiceField(
        label=gettext_lazy("Listing"),
        queryset=Product.objects.none(),
        required=False,
        empty_label=gettext_lazy("All listings of the shop"),
    )
    number = forms.CharField(label=gettext_lazy("Number"), max_length=100)
    issuer = forms.CharField(label=gettext_lazy("Issued by"), max_length=200)
    issued_on = forms.DateField(
        label=gettext_lazy("Date of issue"), widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expiry date"),
        required=False,
        help_text=gettext_lazy("Leave empty if the document states none."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    file = forms.FileField(
        label=gettext_lazy("File (PDF or photo)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, shop: Shop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(shop=shop).order_by("title")  # type: ignore[attr-defined]


def _document(shop: Shop, pk: int) -> ExportDocument:
    return get_object_or_404(ExportDocument.objects.active(), shop=shop, pk=pk)


@manage_shop
def documents(request: HttpRequest, shop_slug: str) -> HttpResponse:
    shop = _shop(request, shop_slug)
    form = DocumentForm(
        *((request.POST, request.FILES) if request.method == "POST" else ()), shop=shop
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.upload_document(
                shop,
                kind=data["kind"],
                number=data["number"],
                issuer=data["issuer"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                file=data["file"],
                product=data["product"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document was saved."))
            return redirect("dashboard:documents", shop.slug)
    return render(
        request,
        "sellers/dashboard/documents.html",
        {
            "shop": shop,
            "documents": list(selectors.shop_documents(shop)),
            "form": form,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


@manage_shop
@require_POST
def document_delete(request: HttpRequest, shop_slug: str, document_pk: int) -> HttpResponse:
    shop = _shop(request, shop_slug)
    services.delete_document(_document(shop, document_pk), actor=request.user)
    messages.success(request, _("The document was removed from the list."))
    return redirect("dashboard:documents", shop.slug)


@manage_shop
def document_file(request: HttpRequest, shop_slug: str, document_pk: int) -> HttpResponse:
    """The file, to members only (never from a public media address)."""
    document = _document(_shop(request, shop_slug), document_pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        handle, content_type=document.content_type
    )
    return response
