"""A seller on a phone lists a product: photo, name, price and stock, publish. No JavaScript needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.regions.models import Region
from sellers.models import MemberRole, Shop, ShopMembership, ShopStatus
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def phone_photo(folder: Path) -> Path:
    """A JPEG as a phone camera would send it (small, so the test stays fast)."""
    path = folder / "kopi.jpg"
    image = Image.new("RGB", (800, 600), (122, 62, 18))
    for x in range(200, 600):
        for y in range(150, 450, 3):
            image.putpixel((x, y), (201, 160, 90))
    image.save(path, "JPEG", quality=85)
    return path


def approved_shop() -> Shop:
    """The seller and their approved shop, made with the ORM (onboarding is another journey)."""
    owner = make_user(full_name="Ibu Sri Wahyuni", phone="+6281234500321")
    province = Region.objects.create(code="35", level="province", name="JAWA TIMUR")
    regency = Region.objects.create(
        code="3510", level="regency", name="KABUPATEN BANYUWANGI", parent=province
    )
    district = Region.objects.create(
        code="3510170", level="district", name="GLAGAH", parent=regency
    )
    village = Region.objects.create(
        code="3510170012", level="village", name="KEMIREN", parent=district
    )
    shop = Shop.objects.create(
        name="Kopi Bu Sri", slug="kopi-bu-sri", village=village, status=ShopStatus.APPROVED
    )
    ShopMembership.objects.create(shop=shop, user=owner, role=MemberRole.OWNER)
    # A transactional test before this one may have flushed the seeded categories.
    Category.objects.get_or_create(
        slug="kopi", defaults={"name": "Kopi", "name_ind": "Kopi", "name_en": "Coffee"}
    )
    return shop


def test_a_seller_lists_a_product_with_a_photo_on_a_phone(
    page: Any, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    shop = approved_shop()
    # The new dashboard strings are not translated yet: read the page in English.
    page.context.add_cookies([{"name": "pasar_language", "value": "en", "url": live_server.url}])
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/penjual/{shop.slug}/")
    # Not signed in: the login page, which brings the seller back afterwards.
    page.get_by_label("Phone number or e-mail address").fill("0812 3450 0321")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="My products").is_visible()

    # Step 1: a photo (the phone would open its camera).
    page.locator("#new-listing").click()
    page.set_input_files("input[type=file]", str(phone_photo(tmp_path)))
    page.screenshot(path=str(ARTIFACTS / "dashboard-step1-photo.png"), full_page=True)
    page.get_by_role("button", name="Upload photo and continue").click()

    # Step 2: name, category and a description in Indonesian.
    assert page.get_by_text("Step 2 of 4").is_visible()
    page.get_by_label("Product name (Indonesian)").fill("Kopi Robusta Kemiren")
    page.get_by_label("Category").select_option(label="Coffee")
    page.get_by_label("Description (Indonesian)").fill("Dipetik merah, dijemur di atas para-para.")
    page.get_by_role("button", name="Save and continue").click()

    # Step 3: the first variant, its price written the Indonesian way, and the stock on hand.
    assert page.get_by_text("Step 3 of 4").is_visible()
    page.get_by_label("SKU (your own code)").fill("KR-250")
    page.get_by_label("Variant name").fill("250 g bubuk")
    page.get_by_label("Price in rupiah").fill("45.000")
    page.get_by_label("How many do you have now?").fill("12")
    page.screenshot(path=str(ARTIFACTS / "dashboard-step3-variant.png"), full_page=True)
    page.get_by_role("button", name="Save and continue").click()

    # Step 4: review and publish.
    assert page.get_by_role("heading", name="Check and publish").is_visible()
    assert page.get_by_text("Rp 45,000").is_visible()
    page.locator("#publish").click()
    assert page.get_by_text("Your listing is published.").is_visible()
    assert page.locator("#status").inner_text() == "published"
    page.screenshot(path=str(ARTIFACTS / "dashboard-published.png"), full_page=True)

    product = Product.objects.get(shop=shop)
    assert product.status == ProductStatus.PUBLISHED
    assert product.title_ind == "Kopi Robusta Kemiren"
    assert product.photos.count() == 1  # type: ignore[attr-defined]
    variant = product.variants.get()
    assert (variant.sku, variant.price.amount, variant.stock_quantity) == ("KR-250", 45_000, 12)

    # Back on "My products": the listing with its thumbnail, price and stock.
    page.get_by_role("link", name="My products").click()
    row = page.locator("#products li").first
    assert "Kopi Robusta Kemiren" in row.inner_text()
    assert "from Rp 45,000" in row.inner_text()
    assert row.locator("img.thumb").count() == 1
    page.screenshot(path=str(ARTIFACTS / "dashboard-my-products.png"), full_page=True)

    # Two bags got wet: remove them, with a note, and see the history.
    page.get_by_role("link", name="Kopi Robusta Kemiren").click()
    page.get_by_role("link", name="Stock", exact=True).click()
    page.get_by_label("Remove items (damaged, used, sold elsewhere)").check()
    page.get_by_label("How many").fill("2")
    page.get_by_label("Note (optional)").fill("dua kantong basah")
    page.get_by_role("button", name="Save stock").click()
    assert page.get_by_text("Stock is now 10.").is_visible()
    assert page.get_by_role("cell", name="manual adjustment: dua kantong basah").is_visible()
    page.screenshot(path=str(ARTIFACTS / "dashboard-stock.png"), full_page=True)
    assert product.variants.get().stock_quantity == 10

    page.get_by_role("link", name="Kopi Robusta Kemiren").click()
    page.locator("#manage-photos").click()
    page.screenshot(path=str(ARTIFACTS / "dashboard-photos.png"), full_page=True)
