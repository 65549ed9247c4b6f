"""Photos over GraphQL: multipart upload, reorder, alt text, delete; permissions; typed errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from graphql_relay import to_global_id

from marketplace.accounts.models import User
from marketplace.catalog.models import Product, ProductStatus
from marketplace.photos.models import ProductPhoto

from .conftest import encode, jpeg_with_gps_and_orientation_6, stored_files, textured

pytestmark = pytest.mark.django_db

UPLOAD = """
mutation($product: ID!, $file: Upload!, $alt: String) {
  productPhotoUpload(productId: $product, file: $file, altText: $alt) {
    photo { id position altText width height placeholder placeholderDataUri ready
            srcset avif: srcset(format: AVIF) url card: url(width: 400) }
    errors { field code message }
  }
}"""
REORDER = """
mutation($product: ID!, $ids: [ID!]!) {
  productPhotoReorder(productId: $product, photoIds: $ids) {
    photos { id position }
    errors { field code message }
  }
}"""
UPDATE = """
mutation($id: ID!, $alt: String!) {
  productPhotoUpdate(id: $id, altText: $alt) { photo { altText } errors { field code message } }
}"""
DELETE = """
mutation($id: ID!) {
  productPhotoDelete(id: $id) { deletedId errors { field code message } }
}"""
PHOTOS = "query($product: ID!) { productPhotos(productId: $product) { id altText ready } }"


def gid(obj: Any) -> str:
    return to_global_id(type(obj).__name__, obj.pk)


def post_upload(
    client: Client,
    product: Product | str,
    data: bytes,
    name: str = "foto.jpg",
    alt: str | None = None,
) -> Any:
    """A GraphQL multipart request, as apollo-upload-client sends it."""
    operations = {
        "query": UPLOAD,
        "variables": {
            "product": product if isinstance(product, str) else gid(product),
            "file": None,
            "alt": alt,
        },
    }
    response = client.post(
        "/graphql/",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": SimpleUploadedFile(name, data, content_type="image/jpeg"),
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200, response.content[:500]
    return response.json()


def post(client: Client, query: str, variables: dict[str, Any]) -> Any:
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200, response.content[:500]
    return response.json()


@pytest.fixture(autouse=True)
def _english(client: Client) -> None:
    """Messages asserted in English: the explicit choice wins over a user's preferred language."""
    client.cookies["pasar_language"] = "en"


@pytest.fixture
def owner_client(client: Client, owner: User) -> Client:
    client.force_login(owner)
    return client


def test_upload_a_photo_by_multipart_then_reorder_rename_and_delete(
    owner_client: Client,
    product: Product,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = post_upload(owner_client, product, jpeg_with_gps_and_orientation_6(), alt="Kopi")
        second = post_upload(owner_client, product, encode(textured(500, 400), "PNG"), "b.png")
    result = first["data"]["productPhotoUpload"]
    assert result["errors"] == []
    photo = result["photo"]
    # The response is built before the commit (the derivatives come after): not ready yet.
    assert (photo["position"], photo["altText"], photo["width"], photo["height"]) == (
        0,
        "Kopi",
        600,
        800,
    )
    assert photo["ready"] is False and photo["srcset"] is None and photo["url"] is None
    assert photo["placeholder"].startswith("#") and photo["placeholderDataUri"].startswith("data:")
    listed = post(owner_client, PHOTOS, {"product": gid(product)})["data"]["productPhotos"]
    assert [p["ready"] for p in listed] == [True, True]
    first_id, second_id = (p["id"] for p in listed)

    reordered = post(owner_client, REORDER, {"product": gid(product), "ids": [second_id, first_id]})
    assert reordered["data"]["productPhotoReorder"] == {
        "photos": [{"id": second_id, "position": 0}, {"id": first_id, "position": 1}],
        "errors": [],
    }
    renamed = post(owner_client, UPDATE, {"id": first_id, "alt": "Kopi Osing"})
    assert renamed["data"]["productPhotoUpdate"] == {
        "photo": {"altText": "Kopi Osing"},
        "errors": [],
    }

    with django_capture_on_commit_callbacks(execute=True):
        deleted = post(owner_client, DELETE, {"id": second_id})
    assert deleted["data"]["productPhotoDelete"] == {"deletedId": second_id, "errors": []}
    assert [p.alt_text for p in ProductPhoto.objects.all()] == ["Kopi Osing"]
    assert len(stored_files(media_root)) == 1 + 6  # one master, WebP+AVIF at 160/320/480
    assert second["data"]["productPhotoUpload"]["errors"] == []


def test_srcset_and_url_once_ready(
    owner_client: Client, product: Product, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(owner_client, product, encode(textured(800, 600), "JPEG"))
    photo = ProductPhoto.objects.get()
    query = """query($id: ID!) { node(id: $id) { ... on ProductPhoto {
        ready srcset avif: srcset(format: AVIF) card: url(width: 400) big: url(width: 5000) } } }"""
    node = post(owner_client, query, {"id": gid(photo)})["data"]["node"]
    assert node["ready"] is True
    assert node["srcset"].count("w, ") == 3 and node["srcset"].endswith(" 720w")
    assert ".avif 160w" in node["avif"]
    assert node["card"].endswith("-480w.webp") and node["big"].endswith("-720w.webp")
    assert photo.master.split("/")[-1] not in json.dumps(node)


def test_a_refused_file_gives_typed_errors_and_stores_nothing(
    owner_client: Client, product: Product, media_root: Path
) -> None:
    result = post_upload(owner_client, product, b"bukan foto, cuma teks", "foto.jpg")
    assert result["data"]["productPhotoUpload"] == {
        "photo": None,
        "errors": [
            {
                "field": "file",
                "code": "invalid_format",
                "message": "This file is not a photo we can use. Send a JPEG, PNG, WebP or HEIC picture.",
            }
        ],
    }
    assert not ProductPhoto.objects.exists() and stored_files(media_root) == []


def test_a_60_mb_upload_is_refused_over_http(owner_client: Client, product: Product) -> None:
    result = post_upload(owner_client, product, b"\xff\xd8\xff" + b"\0" * (60 * 1024 * 1024))
    errors = result["data"]["productPhotoUpload"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("file", "file_too_large")]
    assert "at most 20.0" in errors[0]["message"]
    assert not ProductPhoto.objects.exists()


def test_strangers_and_anonymous_users_are_refused_and_nothing_is_stored(
    client: Client,
    user_factory: Callable[..., User],
    product: Product,
    media_root: Path,
) -> None:
    data = encode(textured(200, 150), "JPEG")
    anonymous = post_upload(client, product, data)["data"]["productPhotoUpload"]
    assert [e["code"] for e in anonymous["errors"]] == ["unauthenticated"]
    client.force_login(user_factory(full_name="Orang Lain", phone="+6281234500099"))
    refused = post_upload(client, product, data)["data"]["productPhotoUpload"]
    assert refused == {
        "photo": None,
        "errors": [
            {
                "field": None,
                "code": "permission_denied",
                "message": "You do not have permission to do this.",
            }
        ],
    }
    assert not ProductPhoto.objects.exists() and stored_files(media_root) == []


def test_unknown_ids_are_typed_not_found(owner_client: Client, product: Product) -> None:
    for product_id in (
        to_global_id("Product", 999),
        to_global_id("Shop", product.pk),
        "rubbish",
        to_global_id("Product", "x"),
    ):
        result = post_upload(owner_client, product_id, encode(textured(50, 50), "PNG"))
        assert [e["code"] for e in result["data"]["productPhotoUpload"]["errors"]] == ["not_found"]
    result = post(owner_client, DELETE, {"id": to_global_id("ProductPhoto", 12345)})
    assert [e["code"] for e in result["data"]["productPhotoDelete"]["errors"]] == ["not_found"]


def test_a_bad_reorder_is_a_typed_error(
    owner_client: Client, product: Product, add: Callable[..., ProductPhoto]
) -> None:
    photo = add(encode(textured(50, 50), "PNG"))
    add(encode(textured(50, 50, seed=2), "PNG"))
    result = post(owner_client, REORDER, {"product": gid(product), "ids": [gid(photo)]})
    errors = result["data"]["productPhotoReorder"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("photoIds", "invalid_order")]


def test_photos_of_a_draft_are_hidden_from_buyers(
    client: Client,
    owner: User,
    product_factory: Callable[..., Product],
    add: Callable[..., ProductPhoto],
) -> None:
    draft = product_factory(title="Belum terbit", status=ProductStatus.DRAFT)
    photo = add(encode(textured(50, 50), "PNG"), to=draft)
    query = "query($id: ID!) { node(id: $id) { id } }"
    assert post(client, query, {"id": gid(photo)})["data"]["node"] is None
    assert post(client, PHOTOS, {"product": gid(draft)})["data"]["productPhotos"] == []
    client.force_login(owner)
    assert len(post(client, PHOTOS, {"product": gid(draft)})["data"]["productPhotos"]) == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"operations": "{not json", "map": "{}"},
        {
            "operations": json.dumps({"query": UPLOAD, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        {
            "operations": json.dumps({"query": UPLOAD, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.nothing.deeper"]}),
            "0": b"x",
        },
        {"operations": json.dumps({"query": UPLOAD}), "map": "[1, 2]"},
    ],
    ids=["operations-not-json", "file-missing", "bad-path", "map-not-object"],
)
def test_a_malformed_multipart_request_is_a_400_not_a_500(
    owner_client: Client, fields: dict[str, Any]
) -> None:
    data = {
        k: SimpleUploadedFile("x.jpg", v) if isinstance(v, bytes) else v for k, v in fields.items()
    }
    response = owner_client.post("/graphql/", data=data)
    assert response.status_code == 400
    assert "Malformed multipart" in response.json()["errors"][0]["message"]


def test_a_string_instead_of_a_file_is_a_typed_error_not_a_500(
    owner_client: Client, product: Product
) -> None:
    result = post(owner_client, UPLOAD, {"product": gid(product), "file": "foto.jpg"})
    errors = result["data"]["productPhotoUpload"]["errors"]
    assert [(e["field"], e["code"], e["message"]) for e in errors] == [
        ("file", "required", "Choose a photo to upload.")
    ]
    inline = (
        'mutation($p: ID!) { productPhotoUpload(productId: $p, file: "y") { errors { code } } }'
    )
    result = post(owner_client, inline, {"p": gid(product)})
    assert result["errors"][0]["message"] == "Argument 'file' has invalid value \"y\"."
    assert not ProductPhoto.objects.exists()


def test_strangers_cannot_reorder_rename_or_delete_photos(
    client: Client,
    user_factory: Callable[..., User],
    product: Product,
    add: Callable[..., ProductPhoto],
) -> None:
    first, second = add(encode(textured(60, 40), "PNG")), add(encode(textured(60, 40), "PNG"))
    client.force_login(user_factory(full_name="Orang Lain", phone="+6281234500099"))
    ids = [to_global_id("ProductPhoto", p.pk) for p in (second, first)]
    attempts = {
        "productPhotoReorder": (
            REORDER,
            {"product": to_global_id("Product", product.pk), "ids": ids},
        ),
        "productPhotoUpdate": (UPDATE, {"id": ids[0], "alt": "dibajak"}),
        "productPhotoDelete": (DELETE, {"id": ids[0]}),
    }
    for name, (query, variables) in attempts.items():
        result = post(client, query, variables)["data"][name]
        assert [e["code"] for e in result["errors"]] == ["permission_denied"], name
    assert list(product.photos.order_by("position").values_list("pk", "alt_text")) == [
        (first.pk, first.alt_text),
        (second.pk, second.alt_text),
    ]
