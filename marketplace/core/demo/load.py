"""Loading the demo shops and listings through the real services (as their sellers would)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, Product
from marketplace.photos.services import add_photo
from marketplace.regions.models import Region
from sellers import services as shops
from sellers.models import MemberRole, Shop, ShopStatus

from .catalog import SHOPS, DemoShop, listings_for
from .photos import draw_product

BANKS = ("002", "009", "008", "014", "451")


def _owner(index: int, spec: DemoShop, password: str, first_owner: User) -> User:
    if index == 0:
        return first_owner
    phone = f"+6281100001{index:03d}"
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = User.objects.create_user(
            phone=phone, password=password, full_name=f"Pemilik {spec.name}"
        )
    return user


def _shop(index: int, spec: DemoShop, owner: User, operator: User) -> Shop:
    village = Region.objects.get(code=spec.village_code)
    shop = Shop.objects.filter(
        name=spec.name, village=village, memberships__user=owner, memberships__role=MemberRole.OWNER
    ).first()
    if shop is not None:
        return shop
    shop = shops.create_shop(owner, spec.name, village)
    shops.update_shop(
        owner,
        shop,
        story=f"<p>{spec.story}</p>",
        whatsapp=f"0812{index + 1:04d}{index + 7:04d}",
        nib=f"{9120000000000 + index * 7919}",
    )
    shops.set_bank_account(
        owner,
        shop,
        bank_code=BANKS[index % len(BANKS)],
        account_number=f"{1234500000 + index * 1013}",
        holder_name=owner.full_name.upper(),
    )
    shops.submit_shop(owner, shop)
    shops.decide_shop(operator, shop, "approve", "Data lengkap. Selamat berjualan!")
    return shop


def _listings(
    index: int, spec: DemoShop, shop: Shop, owner: User, categories: dict[str, Category]
) -> int:
    created = 0
    existing = set(Product.objects.filter(shop=shop).values_list("title_ind", flat=True))
    for n, (key, item, edition_id, edition_en) in enumerate(listings_for(spec)):
        title_id = f"{item.title_id} — {edition_id}" if edition_id else item.title_id
        if title_id in existing:
            continue
        title_en = f"{item.title_en} ({edition_en})" if edition_en else item.title_en
        title = {"id": title_id, "en": title_en}
        if item.title_de and not edition_id:
            title["de"] = item.title_de
        with transaction.atomic():
            product = catalog.create_product(
                owner,
                shop,
                catalog.ProductInput(
                    category=categories[item.category],
                    title=title,
                    description={
                        "id": f"<p>{item.description_id}</p>",
                        "en": f"<p>{item.description_en}</p>",
                    },
                    ships_to_eu=any(variant[3] for variant in item.variants),
                ),
            )
            for v, (name, options, price, eur, grams) in enumerate(item.variants):
                variant = catalog.save_variant(
                    owner,
                    product,
                    catalog.VariantInput(
                        sku=f"{shop.pk:02d}-{n:02d}-{v}",
                        name=name,
                        options=options,
                        price_idr=price + 5_000 * (n % 3),
                        export_price_eur=eur,
                        weight_grams=grams,
                        length_mm=200,
                        width_mm=120,
                        height_mm=60,
                    ),
                )
                catalog.adjust_stock(
                    owner, variant, (index * 7 + n * 3 + v * 5) % 40, note="stok awal"
                )
            photo = draw_product(item.category, item.title_id, seed=index * 100 + n)
            add_photo(
                owner,
                product,
                SimpleUploadedFile(f"{key}.jpg", photo, "image/jpeg"),
                alt_text=title_id,
            )
            if n % 9 != 8:  # a few stay drafts, as in any real shop
                catalog.publish_product(owner, product)
        created += 1
    return created


def load_shops_and_listings(
    first_owner: User,
    operator: User,
    password: str,
    progress: Callable[[str], None],
    limit: int | None = None,
) -> tuple[int, int]:
    """Create the demo shops (approved) and their listings; skip what already exists."""
    categories = {c.slug: c for c in Category.objects.all()}
    shops_created = listings_created = 0
    for index, spec in enumerate(SHOPS[:limit]):
        owner = _owner(index, spec, password, first_owner)
        before = Shop.objects.count()
        shop = _shop(index, spec, owner, operator)
        shops_created += Shop.objects.count() - before
        if shop.status != ShopStatus.APPROVED:
            continue
        listings_created += _listings(index, spec, shop, owner, categories)
        if index % 10 == 9:
            progress(f"  {index + 1}/{len(SHOPS)} shops")
    return shops_created, listings_created
