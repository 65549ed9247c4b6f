"""A seller lists a product in small steps, edits it, and is told plainly what is wrong."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Category, Product, ProductStatus, ProductVariant
from sellers.models import Shop

from .conftest import url

pytestmark = pytest.mark.django_db


def details(category: Category, **fields: str) -> dict[str, Any]:
    return {"title_id": "Kopi Robusta Kemiren", "category": category.pk, **fields}


def variant_data(**fields: Any) -> dict[str, Any]:
    return {
        "sku": "KR-250",
        "name": "250 g bubuk",
        "price_idr": "45.000",
        "export_price_eur": "",
        "option_weight": "250 g",
        "option_roast": "medium",
        "weight_grams": "270",
        "low_stock_threshold": "3",
        "initial_stock": "12",
        **fields,
    }


def test_create_a_listing_step_by_step_and_publish_it(
    seller: Client, shop: Shop, coffee: Category
) -> None:
    # Step 1 offers the photo and a way to skip it.
    step1 = seller.get(url("product_new", shop_slug=shop.slug))
    assert step1.status_code == 200
    assert 'id="skip-photo"' in step1.content.decode()

    # Step 2: name, category, description; German is optional.
    response = seller.post(
        url("product_new_details", shop_slug=shop.slug) + "?langkah=2",
        details(coffee, description_id="Dipetik merah.", title_de="Robusta aus Kemiren"),
    )
    product = Product.objects.get(shop=shop)
    assert response.status_code == 302
    assert response["Location"] == url("variant_new", shop_slug=shop.slug, pk=product.pk) + (
        "?langkah=3"
    )
    assert product.title_ind == "Kopi Robusta Kemiren"
    assert product.title_de == "Robusta aus Kemiren"
    assert product.status == ProductStatus.DRAFT

    # Step 3: the first variant, with a price written the Indonesian way and its first stock.
    response = seller.post(response["Location"], variant_data(export_price_eur="12,50"))
    assert response.status_code == 302
    assert response["Location"].endswith("?langkah=4")
    variant = ProductVariant.objects.get(product=product)
    assert variant.price.amount == 45_000
    assert str(variant.export_price.amount) == "12.50"
    assert variant.options == {"weight": "250 g", "roast": "medium"}
    assert variant.stock_quantity == 12
    assert variant.stock_movements.get().delta == 12

    # Step 4: the review shows the price and offers to publish.
    review = seller.get(response["Location"]).content.decode()
    assert "Check and publish" in review
    assert "Rp 45,000" in review
    response = seller.post(url("product_publish", shop_slug=shop.slug, pk=product.pk), follow=True)
    assert "Your listing is published." in response.content.decode()
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED
    actions = AuditEntry.objects.filter(on_behalf_of_id=str(shop.pk)).values_list(
        "action", flat=True
    )
    assert list(actions) == [
        "product.published",
        "stock.changed",
        "variant.created",
        "product.created",
    ]

    # Archive hides it again.
    seller.post(url("product_archive", shop_slug=shop.slug, pk=product.pk))
    product.refresh_from_db()
    assert product.status == ProductStatus.ARCHIVED


def test_an_empty_title_is_refused_and_nothing_is_saved(
    seller: Client, shop: Shop, coffee: Category
) -> None:
    response = seller.post(
        url("product_new_details", shop_slug=shop.slug),
        details(coffee, title_id="  ", description_id="Enak sekali"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Write the title in Indonesian." in page
    assert "Enak sekali" in page  # what the seller typed is still there
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("murah", "Enter a number."),
        ("0", "The price must be more than zero."),
        ("-5000", "The price must be more than zero."),
        ("45000,5", "Enter a number."),
        ("", "Enter the price in rupiah."),
    ],
)
def test_a_bad_price_is_refused_with_a_clear_message(
    seller: Client, listing: Product, shop: Shop, price: str, message: str
) -> None:
    before = listing.variants.count()
    response = seller.post(
        url("variant_new", shop_slug=shop.slug, pk=listing.pk), variant_data(price_idr=price)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert listing.variants.count() == before


def test_a_sku_used_elsewhere_in_the_shop_is_refused(
    seller: Client, listing: Product, shop: Shop, coffee: Category, owner: Any
) -> None:
    from .conftest import add_listing

    other = add_listing(shop, owner, coffee, 2, variants=0)
    response = seller.post(
        url("variant_new", shop_slug=shop.slug, pk=other.pk), variant_data(sku="k1-0")
    )
    assert response.status_code == 200
    assert "Another item of your shop already uses this SKU." in response.content.decode()
    assert not other.variants.exists()


def test_a_refused_first_stock_leaves_no_variant_behind(
    seller: Client, listing: Product, shop: Shop
) -> None:
    response = seller.post(
        url("variant_new", shop_slug=shop.slug, pk=listing.pk),
        variant_data(sku="NEW-1", initial_stock="-3"),
    )
    assert response.status_code == 200
    assert "you cannot remove 3" in response.content.decode()
    assert not listing.variants.filter(sku="NEW-1").exists()


def test_edit_the_listing_and_a_variant(
    seller: Client, listing: Product, shop: Shop, coffee: Category, variant: ProductVariant
) -> None:
    response = seller.post(
        url("product_details", shop_slug=shop.slug, pk=listing.pk),
        details(coffee, title_id="Kopi Lanang", title_en="Peaberry coffee"),
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.title_ind, listing.title_en) == ("Kopi Lanang", "Peaberry coffee")

    form = seller.get(
        url("variant_edit", shop_slug=shop.slug, pk=listing.pk, variant_pk=variant.pk)
    )
    assert 'value="45000"' in form.content.decode()
    assert 'name="initial_stock"' not in form.content.decode()
    response = seller.post(
        url("variant_edit", shop_slug=shop.slug, pk=listing.pk, variant_pk=variant.pk),
        variant_data(sku="K1-0", price_idr="Rp 50.000"),
    )
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.price.amount == 50_000
    assert variant.stock_quantity == 1  # editing never touches the stock


def test_delete_a_variant_but_not_the_last_of_a_published_listing(
    seller: Client, listing: Product, shop: Shop
) -> None:
    first, second = listing.variants.order_by("pk")
    confirm = seller.get(
        url("variant_delete", shop_slug=shop.slug, pk=listing.pk, variant_pk=first.pk)
    )
    assert "Delete K1-0" in confirm.content.decode()
    seller.post(url("variant_delete", shop_slug=shop.slug, pk=listing.pk, variant_pk=first.pk))
    assert list(listing.variants.all()) == [second]

    seller.post(url("product_publish", shop_slug=shop.slug, pk=listing.pk))
    response = seller.post(
        url("variant_delete", shop_slug=shop.slug, pk=listing.pk, variant_pk=second.pk),
        follow=True,
    )
    assert "A published listing needs at least one variant." in response.content.decode()
    assert listing.variants.count() == 1


def test_publishing_without_a_variant_is_explained(
    seller: Client, shop: Shop, coffee: Category, owner: Any
) -> None:
    from .conftest import add_listing

    bare = add_listing(shop, owner, coffee, 5, variants=0)
    response = seller.post(url("product_publish", shop_slug=shop.slug, pk=bare.pk), follow=True)
    assert "Add at least one variant with a price before publishing." in response.content.decode()
    bare.refresh_from_db()
    assert bare.status == ProductStatus.DRAFT


def test_publish_and_archive_only_by_post(seller: Client, listing: Product, shop: Shop) -> None:
    assert seller.get(url("product_publish", shop_slug=shop.slug, pk=listing.pk)).status_code == 405
    listing.refresh_from_db()
    assert listing.status == ProductStatus.DRAFT


def test_another_shops_listing_is_not_found(
    seller: Client, shop: Shop, shop_factory: Any, user_factory: Any, coffee: Category
) -> None:
    from .conftest import add_listing

    neighbour = user_factory(phone="+6281234500099")
    theirs = add_listing(shop_factory(owner=neighbour), neighbour, coffee, 9)
    # The seller's own shop in the URL, someone else's listing id: 404, not a leak.
    assert seller.get(url("product", shop_slug=shop.slug, pk=theirs.pk)).status_code == 404


def test_a_seller_reads_the_refusal_in_indonesian(
    seller: Client, shop: Shop, coffee: Category
) -> None:
    seller.cookies.pop("pasar_language", None)  # no choice made: the seller's Indonesian default
    response = seller.post(
        url("product_new_details", shop_slug=shop.slug),
        details(coffee, title_id="", description_id="Enak sekali"),
    )
    assert response.status_code == 200
    assert "Tulis judul dalam bahasa Indonesia." in response.content.decode()
    assert not Product.objects.exists()
