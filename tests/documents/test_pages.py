"""The seller's Documents page: list, upload, delete; other people are kept out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.documents.models import DocumentKind, ExportDocument
from sellers.models import Shop

from .conftest import PDF

pytestmark = pytest.mark.django_db


def _post(client: Client, shop: Shop, **overrides: Any) -> Any:
    data: dict[str, Any] = {
        "kind": DocumentKind.HALAL,
        "product": "",
        "number": "ID35110000123",
        "issuer": "BPJPH",
        "issued_on": "2026-01-05",
        "expires_on": "",
        "file": SimpleUploadedFile("halal.pdf", PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return client.post(reverse("dashboard:documents", args=[shop.slug]), data)


def test_owner_uploads_and_sees_the_document(client: Client, shop: Shop, owner: User) -> None:
    client.force_login(owner)
    response = _post(client, shop)
    assert response.status_code == 302
    page = client.get(reverse("dashboard:documents", args=[shop.slug]))
    assert "ID35110000123" in page.content.decode()
    document = ExportDocument.objects.get()
    assert (
        client.get(reverse("dashboard:document_file", args=[shop.slug, document.pk])).status_code
        == 200
    )


def test_a_fake_pdf_is_refused_with_a_message_not_a_500(
    client: Client, shop: Shop, owner: User
) -> None:
    client.force_login(owner)
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = _post(client, shop, file=fake)
    assert response.status_code == 400
    assert "PDF or a photo" in response.content.decode()
    assert not ExportDocument.objects.exists()


def test_delete_hides_it_from_the_list(client: Client, shop: Shop, owner: User) -> None:
    client.force_login(owner)
    _post(client, shop)
    document = ExportDocument.objects.get()
    client.post(reverse("dashboard:document_delete", args=[shop.slug, document.pk]))
    page = client.get(reverse("dashboard:documents", args=[shop.slug]))
    assert "ID35110000123" not in page.content.decode()
    assert ExportDocument.objects.filter(pk=document.pk).exists()


def test_other_people_cannot_see_or_upload(
    client: Client, shop: Shop, user_factory: Callable[..., User]
) -> None:
    url = reverse("dashboard:documents", args=[shop.slug])
    assert client.get(url).status_code == 302  # anonymous: the login page
    client.force_login(user_factory())
    assert client.get(url).status_code == 403
    assert _post(client, shop).status_code == 403
    assert not ExportDocument.objects.exists()


def test_the_list_costs_the_same_queries_for_many_documents(
    client: Client,
    shop: Shop,
    owner: User,
    django_assert_max_num_queries: Any,
    product_factory: Any,
) -> None:
    client.force_login(owner)
    product = product_factory()
    for n in range(12):
        _post(client, shop, number=f"N-{n}", product=str(product.pk) if n % 2 else "")
    url = reverse("dashboard:documents", args=[shop.slug])
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("N-") >= 12
