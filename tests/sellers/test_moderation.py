"""Operators: shops are approved before buyers see them; listings are reviewed after they go live."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLPattern, reverse

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Category, Product, ProductStatus, ProhibitedTerm
from marketplace.core import events
from sellers import services
from sellers.models import Shop, ShopStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(shop: Shop) -> Shop:
    Shop.objects.filter(pk=shop.pk).update(status=ShopStatus.SUBMITTED)
    shop.refresh_from_db()
    return shop


@pytest.fixture
def approved_events() -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def handler(**payload: Any) -> None:
        seen.append(payload)

    events.subscribe("shop.approved")(handler)
    yield seen
    events._handlers["shop.approved"].remove(handler)


@pytest.fixture
def product_factory(shop: Shop) -> Callable[..., Product]:
    category = Category.objects.order_by("pk").first() or Category.objects.create(
        slug="kopi-test", name="Kopi"
    )

    def make(**kw: Any) -> Product:
        kw.setdefault("shop", shop)
        kw.setdefault("category", category)
        kw.setdefault("title", "Kopi Osing robusta 250 g")
        kw.setdefault("status", ProductStatus.PUBLISHED)
        kw.setdefault("needs_review", True)
        return Product.objects.create(**kw)

    return make


def decide(browser: Client, shop: Shop, decision: str, reason: str = "") -> Any:
    return browser.post(f"/moderasi/toko/{shop.pk}/", {"decision": decision, "reason": reason})


def test_an_operator_approves_a_submitted_shop_and_the_seller_reads_the_note(
    signed_in: Callable[[User], Client],
    operator: User,
    owner: User,
    submitted: Shop,
    approved_events: list[dict[str, Any]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    queue = signed_in(operator).get("/moderasi/toko/").content.decode()
    assert "Kopi Osing Bu Siti" in queue

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(signed_in(operator), submitted, "approve", "Selamat datang!")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.status_reason) == (ShopStatus.APPROVED, "Selamat datang!")
    assert approved_events == [{"shop_id": submitted.pk}]
    entry = AuditEntry.objects.get(action="shop.approved")
    assert entry.actor == operator and entry.data == {"reason": "Selamat datang!"}

    page = signed_in(owner).get(f"/penjual/{submitted.slug}/toko/").content.decode()
    assert "Approved: buyers can see your shop." in page
    assert "Selamat datang!" in page


def test_an_operator_suspends_a_shop_with_a_reason_the_seller_sees(
    signed_in: Callable[[User], Client], operator: User, owner: User, shop: Shop
) -> None:
    response = decide(signed_in(operator), shop, "suspend", "Menjual barang tiruan.")
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.status == ShopStatus.SUSPENDED
    page = signed_in(owner).get(f"/penjual/{shop.slug}/toko/").content.decode()
    assert "Suspended: buyers cannot see your shop." in page
    assert "Menjual barang tiruan." in page
    history = signed_in(owner).get(f"/penjual/{shop.slug}/riwayat/").content.decode()
    assert "(operator) suspended the shop" in history


@pytest.mark.parametrize("decision", ["suspend", "draft"])
def test_suspending_or_sending_back_needs_a_reason(
    signed_in: Callable[[User], Client], operator: User, submitted: Shop, decision: str
) -> None:
    response = decide(signed_in(operator), submitted, decision, "   ")
    assert response.status_code == 200
    assert "Tell the seller why." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ShopStatus.SUBMITTED


def test_sending_back_to_draft_lets_the_seller_fix_and_submit_again(
    signed_in: Callable[[User], Client], operator: User, owner: User, submitted: Shop
) -> None:
    decide(signed_in(operator), submitted, "draft", "NIB tidak cocok dengan nama.")
    submitted.refresh_from_db()
    assert submitted.status == ShopStatus.DRAFT
    page = signed_in(owner).get(f"/penjual/{submitted.slug}/toko/").content.decode()
    assert "NIB tidak cocok dengan nama." in page
    services.update_shop(owner, submitted, whatsapp="081234567890", nib="9120001234567")
    services.submit_shop(owner, submitted)
    assert submitted.status == ShopStatus.SUBMITTED


@pytest.mark.parametrize(
    "data",
    [{}, {"decision": "delete"}, {"decision": ["approve", "suspend"]}, {"decision": "draft"}],
)
def test_garbage_decisions_change_nothing(
    signed_in: Callable[[User], Client], operator: User, submitted: Shop, data: dict[str, Any]
) -> None:
    response = signed_in(operator).post(f"/moderasi/toko/{submitted.pk}/", data)
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == ShopStatus.SUBMITTED


def test_a_decision_that_no_longer_applies_is_refused(operator: User, shop: Shop) -> None:
    with pytest.raises(ValidationError) as exc:
        services.approve_shop(operator, shop)  # already approved
    assert exc.value.error_dict["decision"][0].code == "invalid_transition"


def test_only_operators_decide(owner: User, submitted: Shop) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.approve_shop(owner, submitted)


def moderation_urls() -> list[str]:
    """Every URL under /moderasi/, with 1 for each argument."""
    from sellers.moderation import urls as moderation

    out = []
    for pattern in moderation.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: 1 for name in pattern.pattern.converters}
        out.append(reverse(f"sellers:moderation:{pattern.name}", kwargs=kwargs))
    return out


def test_every_moderation_url_is_listed() -> None:
    urls = moderation_urls()
    assert len(urls) == 10 and all(url.startswith("/moderasi/") for url in urls)


@pytest.mark.parametrize("who", ["owner", "staff", "buyer", "facilitator"])
def test_non_operators_get_403_on_every_moderation_url(
    signed_in: Callable[[User], Client],
    request: pytest.FixtureRequest,
    shop: Shop,
    facilitator: User,
    who: str,
) -> None:
    browser = signed_in(request.getfixturevalue(who))
    for url in moderation_urls():
        assert browser.get(url).status_code == 403, url
        assert browser.post(url, {"decision": "approve", "reason": "x"}).status_code == 403, url
    shop.refresh_from_db()
    assert shop.status == ShopStatus.APPROVED


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    for url in moderation_urls():
        assert client.get(url).status_code == 302, url


# --- Listings -----------------------------------------------------------------------------------


def test_an_operator_removes_a_listing_with_a_reason(
    signed_in: Callable[[User], Client], operator: User, product_factory: Callable[..., Product]
) -> None:
    product = product_factory(title="Cula badak asli")
    browser = signed_in(operator)
    assert "Cula badak asli" in browser.get("/moderasi/produk/").content.decode()

    response = browser.post(f"/moderasi/produk/{product.pk}/hapus/", {"reason": ""})
    assert response.status_code == 200
    assert "Tell the seller why." in response.content.decode()
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED

    response = browser.post(
        f"/moderasi/produk/{product.pk}/hapus/", {"reason": "Satwa dilindungi."}
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.status, product.moderation_reason) == (
        ProductStatus.REMOVED,
        "Satwa dilindungi.",
    )
    assert (
        "<strong>Cula badak asli</strong>" not in browser.get("/moderasi/produk/").content.decode()
    )
    assert "Satwa dilindungi." in browser.get("/moderasi/produk/dihapus/").content.decode()

    browser.post(f"/moderasi/produk/{product.pk}/pulihkan/")
    product.refresh_from_db()
    assert product.status == ProductStatus.DRAFT


def test_restoring_a_listing_that_was_not_removed_changes_nothing(
    signed_in: Callable[[User], Client], operator: User, product_factory: Callable[..., Product]
) -> None:
    product = product_factory()
    signed_in(operator).post(f"/moderasi/produk/{product.pk}/pulihkan/")
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED


def test_a_reviewed_listing_leaves_the_queue_and_stays_published(
    signed_in: Callable[[User], Client], operator: User, product_factory: Callable[..., Product]
) -> None:
    product = product_factory()
    response = signed_in(operator).post(f"/moderasi/produk/{product.pk}/tinjau/")
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.status, product.needs_review) == (ProductStatus.PUBLISHED, False)


def test_moderation_queues_cost_the_same_for_many_rows(
    signed_in: Callable[[User], Client],
    operator: User,
    owner: User,
    shop_factory: Callable[..., Shop],
    product_factory: Callable[..., Product],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    for n in range(25):
        product_factory(title=f"Batik Gajah Oling {n}")
        product_factory(title=f"Hapus {n}", status=ProductStatus.REMOVED, moderation_reason="x")
        shop_factory(owner=owner, status=ShopStatus.SUBMITTED, name=f"Toko {n}", slug=f"t-{n}")
    browser = signed_in(operator)
    for url in ("/moderasi/", "/moderasi/toko/", "/moderasi/produk/", "/moderasi/produk/dihapus/"):
        browser.get(url)
        with django_assert_max_num_queries(7):  # type: ignore[operator]
            response = browser.get(url)
        assert response.status_code == 200
    assert "Page 1 of 2" in browser.get("/moderasi/toko/").content.decode()
    assert browser.get("/moderasi/toko/?status=nonsense&page=-4").status_code == 200


# --- Prohibited goods ---------------------------------------------------------------------------


def test_operators_keep_the_prohibited_goods_list(
    signed_in: Callable[[User], Client], operator: User
) -> None:
    browser = signed_in(operator)
    response = browser.post(
        "/moderasi/larangan/", {"term": "  Cula  badak ", "reason": "Satwa dilindungi"}
    )
    assert response.status_code == 302
    term = ProhibitedTerm.objects.get()
    assert (term.term, term.reason) == ("Cula badak", "Satwa dilindungi")

    response = browser.post("/moderasi/larangan/", {"term": "CULA BADAK", "reason": "lagi"})
    assert "This word is already on the list." in response.content.decode()
    response = browser.post("/moderasi/larangan/", {"term": "", "reason": ""})
    assert response.status_code == 200
    assert ProhibitedTerm.objects.count() == 1

    browser.post(f"/moderasi/larangan/{term.pk}/hapus/")
    assert not ProhibitedTerm.objects.exists()
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "prohibited_term.added",
        "prohibited_term.deleted",
    ]
