"""Pages of the spreadsheet import and export. Thin: the form collects, the services decide.

Every page is guarded by ``rule_required(can_manage_shop)`` on the shop in the address, so a
facilitator with the shop's consent can import for it at the village hall.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from marketplace.core import permissions
from sellers.models import Shop

from . import jobs, selectors, services, writing
from .forms import UploadForm
from .jobs import TokenError
from .parsing import COLUMNS, RULES, FileError, Format, check_size


def _shop(request: HttpRequest, slug: str, **kwargs: Any) -> Shop:
    return get_object_or_404(Shop, slug=slug)


manage_shop = permissions.rule_required(permissions.can_manage_shop, get_object=_shop)


def _upload_page(
    request: HttpRequest, shop: Shop, form: UploadForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "sellers/spreadsheets/upload.html",
        {"shop": shop, "form": form, "columns": COLUMNS, "rules": RULES},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@manage_shop
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _shop(request, slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_size(upload.size or 0)  # refuse a large file before reading it into memory
            token = services.start_import(
                request.user,  # type: ignore[arg-type]
                shop,
                upload.name or "",
                upload.read(),
                translation.get_language(),
            )
        except FileError as exc:
            form.add_error("file", ValidationError(exc.message, code=exc.code))
        else:
            return redirect("spreadsheets:job", slug=shop.slug, token=token)
    return _upload_page(request, shop, form, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@manage_shop
def job(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The preview (errors or what will change), the progress of a running job, and the result."""
    shop = _shop(request, slug)
    try:
        job = jobs.load(shop.pk, jobs.key_from_token(shop.pk, token))
    except TokenError as exc:
        return render(
            request,
            "sellers/spreadsheets/gone.html",
            {"shop": shop, "message": exc.message, "code": exc.code},
            status=410 if exc.code == "expired" else 400,
        )
    if request.method == "POST":
        try:
            services.confirm_import(request.user, shop, job)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("spreadsheets:job", slug=shop.slug, token=token)
    return render(
        request,
        "sellers/spreadsheets/job.html",
        {
            "shop": shop,
            "job": job,
            "token": token,
            "summary": job.summary,
            "progress_total": (job.summary.get("rows") if job.commit else None)
            or job.rows_estimate
            or 1,
            "hidden_errors": max(job.error_count - len(job.errors), 0),
            "form": UploadForm(),
        },
    )


@require_http_methods(["GET"])
@manage_shop
def template_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return _download(writing.template_file(Format(fmt)))


@require_http_methods(["GET"])
@manage_shop
def export(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _shop(request, slug)
    return render(
        request,
        "sellers/spreadsheets/export.html",
        {"shop": shop, **selectors.counts(shop)},
    )


@require_http_methods(["GET"])
@manage_shop
def export_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return _download(writing.export_file(_shop(request, slug), Format(fmt)))


def _download(file: writing.SpreadsheetFile) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
