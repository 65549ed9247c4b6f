"""Many listings, quickly, for benchmarks: bulk inserts that look like the demo.

``generate_listings(n)`` adds ``n`` published listings (1-3 variants each, one photo each) spread
over approved shops in every Banyuwangi village. It bypasses the services on purpose: the services
are tested elsewhere, and 100,000 listings through them would take an hour. Photos are real: a few
are made through the photo pipeline and their rows are cloned (same files, same derivatives).
"""

from __future__ import annotations

import random
import time
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, Product, ProductStatus, ProductVariant
from marketplace.core.demo.catalog import ITEMS
from marketplace.core.demo.photos import draw_product
from marketplace.photos.models import ProductPhoto
from marketplace.photos.services import add_photo
from marketplace.regions.importer import BANYUWANGI_CSV, import_regions_file
from marketplace.regions.models import Region, RegionLevel
from sellers.models import MemberRole, Shop, ShopMembership, ShopStatus

LISTINGS_PER_SHOP = 40
BATCH = 2_000
ADJECTIVES = (
    "pilihan",
    "asli",
    "premium",
    "segar",
    "tradisional",
    "organik",
    "khas desa",
    "buatan tangan",
    "edisi terbatas",
    "panen baru",
)


def _ensure_regions() -> list[Region]:
    if not Region.objects.filter(level=RegionLevel.VILLAGE).exists():
        import_regions_file(BANYUWANGI_CSV)
    return list(Region.objects.filter(level=RegionLevel.VILLAGE).order_by("code"))


def _shops(count: int, villages: list[Region]) -> list[Shop]:
    existing = list(Shop.objects.filter(slug__startswith="bench-").order_by("pk"))
    if len(existing) >= count:
        return existing[:count]
    owner, _ = User.objects.get_or_create(
        email="bench-owner@example.org", defaults={"full_name": "Bench Owner"}
    )
    new = [
        Shop(
            name=f"Toko Bench {i}",
            slug=f"bench-{i}",
            village=villages[i % len(villages)],
            status=ShopStatus.APPROVED,
            story="<p>Toko untuk pengukuran.</p>",
            whatsapp="+6281234567890",
        )
        for i in range(len(existing), count)
    ]
    Shop.objects.bulk_create(new, batch_size=BATCH)
    shops = list(Shop.objects.filter(slug__startswith="bench-").order_by("pk"))
    ShopMembership.objects.bulk_create(
        [ShopMembership(shop=s, user=owner, role=MemberRole.OWNER) for s in shops[len(existing) :]],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return shops[:count]


def _template_photos(
    owner: User, shop: Shop, categories: dict[str, Category]
) -> list[ProductPhoto]:
    """One real photo per category, made by the pipeline, to clone onto generated listings."""
    photos = []
    for slug, category in categories.items():
        product = Product.objects.create(
            shop=shop,
            category=category,
            title=f"Foto {slug}",
            title_ind=f"Foto {slug}",
            status=ProductStatus.DRAFT,
        )
        upload = SimpleUploadedFile(f"{slug}.jpg", draw_product(slug, slug, seed=len(photos)))
        photos.append(add_photo(owner, product, upload, alt_text=slug))
    return [ProductPhoto.objects.get(pk=p.pk) for p in photos]


def generate_listings(count: int, *, seed: int = 7, progress: Any = print) -> float:
    """Add ``count`` published listings; returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    villages = _ensure_regions()
    categories = {c.slug: c for c in Category.objects.all()}
    items = list(ITEMS.values())
    shops = _shops(max(1, count // LISTINGS_PER_SHOP), villages)
    owner = User.objects.get(email="bench-owner@example.org")
    templates = {
        p.product.category.slug: p
        for p in ProductPhoto.objects.filter(product__title__startswith="Foto ").select_related(
            "product__category"
        )
    }
    if not templates:
        with transaction.atomic():
            templates = {
                p.product.category.slug: p for p in _template_photos(owner, shops[0], categories)
            }
    now = timezone.now()
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        products = []
        for i in range(size):
            item = items[rng.randrange(len(items))]
            n = done + i
            extra = ADJECTIVES[rng.randrange(len(ADJECTIVES))]
            products.append(
                Product(
                    shop=shops[n % len(shops)],
                    category=categories[item.category],
                    title=f"{item.title_id} {extra}",
                    title_ind=f"{item.title_id} {extra}",
                    title_en=item.title_en,
                    title_de=item.title_de or None,
                    description=item.description_id,
                    description_ind=item.description_id,
                    description_en=item.description_en,
                    status=ProductStatus.PUBLISHED,
                    ships_to_eu=n % 3 != 0,
                    published_at=now,
                    needs_review=False,
                )
            )
        with transaction.atomic():
            Product.objects.bulk_create(products, batch_size=BATCH)
            variants, photos = [], []
            for product in products:
                item_variants = _variants_for(product, rng)
                variants.extend(item_variants)
                template = templates.get(product.category.slug)
                if template is not None:
                    photos.append(
                        ProductPhoto(
                            product=product,
                            position=0,
                            alt_text=product.title_ind or "",
                            master=template.master,
                            width=template.width,
                            height=template.height,
                            placeholder_color=template.placeholder_color,
                            placeholder_uri=template.placeholder_uri,
                            derivatives=template.derivatives,
                        )
                    )
            ProductVariant.objects.bulk_create(variants, batch_size=BATCH)
            ProductPhoto.objects.bulk_create(photos, batch_size=BATCH)
        done += size
        if done % 20_000 == 0 or done == count:
            progress(f"  generated {done:,} listings")
    if connection.vendor == "postgresql":
        # What autovacuum does on a settled production database: give the planner statistics
        # for the rows just bulk-inserted (without them it picks sequential scans).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _variants_for(product: Product, rng: random.Random) -> list[ProductVariant]:
    count = rng.randint(1, 3)
    base = rng.randrange(15, 400) * 1_000
    return [
        ProductVariant(
            product=product,
            sku=f"B{product.pk}-{v}",
            name=f"varian {v + 1}",
            price=Money(base + v * 10_000, "IDR"),
            export_price=Money(Decimal(base + v * 10_000) / 16_000 + Decimal("2.50"), "EUR").round(
                2
            )
            if product.ships_to_eu
            else None,
            weight_grams=250 * (v + 1),
            stock_quantity=rng.randrange(0, 50),
            position=v,
        )
        for v in range(count)
    ]
