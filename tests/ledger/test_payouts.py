"""Operators pay shops what is available: batch, transfer file, paid or failed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation
from djmoney.money import Money
from openpyxl import load_workbook

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Category
from marketplace.ledger import selectors, services
from marketplace.ledger.models import LedgerEntry, LedgerSettings, Payout, PayoutStatus
from marketplace.orders.models import Order
from sellers.models import Shop, ShopBankAccount, ShopStatus

from .conftest import Line, OrderFactory


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # The messages are compared in English; the site's default language is Indonesian.
    with translation.override("en"):
        yield

pytestmark = pytest.mark.django_db


def sold(
    order_factory: OrderFactory,
    shop: Shop,
    category: Category,
    amount: str,
    *,
    delivered_days_ago: int | None = 10,
    currency: str = "IDR",
) -> Order:
    """An order of ``shop`` for ``amount`` (commission 5%: batik), posted to the ledger."""
    order = order_factory(
        shop,
        [Line(category, 1, amount)],
        currency=currency,
        delivered_days_ago=delivered_days_ago,
    )
    services.post_sale(order.pk)
    return order


def idr(shop: Shop) -> selectors.Balance:
    (balance,) = [b for b in selectors.shop_balance(shop) if b.currency == "IDR"]
    return balance


def test_money_is_pending_until_the_hold_after_delivery_has_passed(
    order_factory: OrderFactory,
    shop: Shop,
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
) -> None:
    sold(order_factory, shop, categories["batik"], "100000", delivered_days_ago=10)
    sold(order_factory, shop, categories["batik"], "200000", delivered_days_ago=3)
    sold(order_factory, shop, categories["batik"], "400000", delivered_days_ago=None)

    balance = idr(shop)
    # Each sale less 5% commission.
    assert balance.total == Money(665_000, "IDR")
    assert balance.pending == Money(570_000, "IDR")
    assert balance.available == Money(95_000, "IDR")
    assert (balance.in_transfer, balance.paid) == (Money(0, "IDR"), Money(0, "IDR"))


def test_a_batch_pays_available_balances_and_the_balance_drops_at_once(
    order_factory: OrderFactory,
    shop: Shop,
    shop_factory: Callable[..., Shop],
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
    operator: User,
) -> None:
    no_account = shop_factory(name="Batik Temenggungan")
    small = shop_factory(name="Kerajinan Bambu")
    ShopBankAccount.objects.create(
        shop=small, bank_code="008", account_number="1234567890", holder_name="AGUS"
    )
    sold(order_factory, shop, categories["batik"], "100000")
    sold(order_factory, shop, categories["batik"], "300000", delivered_days_ago=1)
    sold(order_factory, no_account, categories["batik"], "100000")
    sold(order_factory, small, categories["batik"], "20000")  # 19.000 < minimum 50.000

    result = services.build_payout_batch("IDR", actor=operator)

    assert result.batch is not None
    (payout,) = result.payouts
    assert (payout.shop, payout.amount, payout.status) == (shop, Money(95_000, "IDR"), "pending")
    assert (payout.bank_label, payout.account_number, payout.holder_name) == (
        "BRI (Bank Rakyat Indonesia)",
        "012301000123563",
        "SITI AMINAH",
    )
    assert [(s.shop, s.reason) for s in result.skipped] == [
        (no_account, "The shop has no bank account yet.")
    ]
    balance = idr(shop)
    assert balance.available == Money(0, "IDR")
    assert balance.pending == Money(285_000, "IDR")
    assert balance.in_transfer == Money(95_000, "IDR")
    assert idr(no_account).available == Money(95_000, "IDR")
    # Building again finds nothing new to pay: the same money is never in two batches.
    assert services.build_payout_batch("IDR", actor=operator).batch is None
    assert AuditEntry.objects.filter(action="payout.batch_built").count() == 1


def test_paid_and_failed_payouts(
    order_factory: OrderFactory,
    shop: Shop,
    shop_factory: Callable[..., Shop],
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
    operator: User,
) -> None:
    other = shop_factory(name="Kakao Glenmore")
    ShopBankAccount.objects.create(
        shop=other, bank_code="009", account_number="9876543210", holder_name="WAYAN"
    )
    sold(order_factory, shop, categories["batik"], "100000")
    sold(order_factory, other, categories["batik"], "200000")
    result = services.build_payout_batch("IDR", actor=operator)
    to_shop, to_other = sorted(result.payouts, key=lambda p: p.amount.amount)

    services.mark_payout_paid(to_shop, actor=operator)
    with pytest.raises(ValidationError):
        services.mark_payout_failed(to_other, "  ", actor=operator)
    services.mark_payout_failed(to_other, "Rekening ditutup", actor=operator)

    assert idr(shop).paid == Money(95_000, "IDR")
    assert idr(shop).available == Money(0, "IDR")
    assert idr(other).available == Money(190_000, "IDR")  # returned
    assert idr(other).paid == Money(0, "IDR")
    assert LedgerEntry.objects.filter(payout=to_other, kind="payout_reversal").get().amount == (
        Money(190_000, "IDR")
    )
    # Settled payouts stay settled.
    with pytest.raises(ValidationError):
        services.mark_payout_paid(to_other, actor=operator)
    with pytest.raises(ValidationError):
        services.mark_payout_failed(to_shop, "late bounce", actor=operator)
    assert idr(other).available == Money(190_000, "IDR")
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "payout.paid",
        "payout.failed",
    }
    # The returned money goes into the next batch.
    again = services.build_payout_batch("IDR", actor=operator)
    assert [(p.shop, p.amount) for p in again.payouts] == [(other, Money(190_000, "IDR"))]


def test_suspended_shops_are_skipped(
    order_factory: OrderFactory,
    shop: Shop,
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
    operator: User,
) -> None:
    sold(order_factory, shop, categories["batik"], "100000")
    Shop.objects.filter(pk=shop.pk).update(status=ShopStatus.SUSPENDED)

    result = services.build_payout_batch("IDR", actor=operator)

    assert result.batch is None
    assert [s.reason for s in result.skipped] == ["The shop is suspended."]


def test_only_operators_build_or_settle(
    order_factory: OrderFactory,
    shop: Shop,
    owner: User,
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
    operator: User,
) -> None:
    sold(order_factory, shop, categories["batik"], "100000")
    with pytest.raises(PermissionDenied):
        services.build_payout_batch("IDR", actor=owner)
    (payout,) = services.build_payout_batch("IDR", actor=operator).payouts
    with pytest.raises(PermissionDenied):
        services.mark_payout_paid(payout, actor=owner)
    with pytest.raises(PermissionDenied):
        services.export_transfer_file(payout.batch, actor=owner)
    with pytest.raises(ValidationError):
        services.build_payout_batch("USD", actor=operator)


def test_the_transfer_file_names_bank_account_holder_amount_and_reference(
    order_factory: OrderFactory,
    shop: Shop,
    shop_factory: Callable[..., Shop],
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
    operator: User,
) -> None:
    tricky = shop_factory(name="=HYPERLINK()")
    ShopBankAccount.objects.create(
        shop=tricky, bank_code="014", account_number="0001112223", holder_name="=cmd|' /C calc'!A0"
    )
    sold(order_factory, shop, categories["batik"], "100000")
    sold(order_factory, tricky, categories["batik"], "100000")
    sold(order_factory, shop, categories["batik"], "12.34", currency="EUR")
    batch = services.build_payout_batch("IDR", actor=operator).batch
    assert batch is not None
    first = batch.payouts.filter(shop=shop).first()
    assert first is not None

    file = services.export_transfer_file(batch, "csv", actor=operator)
    rows = list(csv.reader(io.StringIO(file.content.decode())))

    assert rows[0] == [
        "bank",
        "bank_code",
        "account_number",
        "holder_name",
        "amount",
        "currency",
        "reference",
        "shop",
    ]
    references = {p.account_number: p.reference for p in batch.payouts.all()}
    assert sorted(rows[1:]) == [
        [
            "BCA (Bank Central Asia)",
            "014",
            "0001112223",
            "'=cmd|' /C calc'!A0",
            "95000",
            "IDR",
            references["0001112223"],
            "'=HYPERLINK()",
        ],
        [
            "BRI (Bank Rakyat Indonesia)",
            "002",
            "012301000123563",
            "SITI AMINAH",
            "95000",
            "IDR",
            references["012301000123563"],
            "Kopi Osing Bu Siti",
        ],
    ]
    assert set(batch.payouts.values_list("status", flat=True)) == {PayoutStatus.EXPORTED}

    services.mark_payout_paid(first, actor=operator)
    workbook = load_workbook(
        io.BytesIO(services.export_transfer_file(batch, "xlsx", actor=operator).content)
    )
    sheet = workbook.active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2  # the header and the payout still open
    assert values[1][2:6] == ("0001112223", "'=cmd|' /C calc'!A0", "95000", "IDR")

    eur = services.build_payout_batch("EUR", actor=operator)
    assert [p.amount for p in eur.payouts] == [Money(Decimal("11.72"), "EUR")]
    eur_file = services.export_transfer_file(eur.batch, "csv", actor=operator)  # type: ignore[arg-type]
    assert "11.72,EUR" in eur_file.content.decode()


def test_payout_records_keep_the_bank_details_of_the_day_they_were_built(
    order_factory: OrderFactory,
    shop: Shop,
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
    operator: User,
) -> None:
    sold(order_factory, shop, categories["batik"], "100000")
    (payout,) = services.build_payout_batch("IDR", actor=operator).payouts
    ShopBankAccount.objects.filter(shop=shop).update(account_number="999999999")

    payout = Payout.objects.get(pk=payout.pk)
    assert payout.account_number == "012301000123563"


def test_operator_pages(
    signed_in: Callable[[User | None], Client],
    order_factory: OrderFactory,
    shop: Shop,
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
    operator: User,
) -> None:
    sold(order_factory, shop, categories["batik"], "100000")
    browser = signed_in(operator)

    page = browser.get("/moderasi/pencairan/").content.decode()
    assert "Kopi Osing Bu Siti" in page and "IDR\xa095,000" in page

    response = browser.post("/moderasi/pencairan/buat/", {"currency": "IDR"})
    assert response.status_code == 302
    payout = Payout.objects.get()
    assert response["Location"] == f"/moderasi/pencairan/{payout.batch_id}/"
    batch_page = browser.get(response["Location"]).content.decode()
    assert "012301000123563" in batch_page and "SITI AMINAH" in batch_page

    download = browser.post(f"/moderasi/pencairan/{payout.batch_id}/unduh/", {"format": "xlsx"})
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.xlsx"')

    failed = browser.post(f"/moderasi/pencairan/transfer/{payout.pk}/gagal/", {"reason": ""})
    assert failed.status_code == 200 and "Say why the payout failed." in failed.content.decode()
    failed = browser.post(
        f"/moderasi/pencairan/transfer/{payout.pk}/gagal/", {"reason": "Nama tidak cocok"}
    )
    assert failed.status_code == 302
    payout.refresh_from_db()
    assert (payout.status, payout.failure_reason) == ("failed", "Nama tidak cocok")
    # Marking it paid afterwards is refused with a message, not a 500.
    again = browser.post(f"/moderasi/pencairan/transfer/{payout.pk}/lunas/", follow=True)
    assert "already failed" in again.content.decode()
    assert idr(shop).available == Money(95_000, "IDR")


@pytest.mark.parametrize("who", ["anonymous", "owner", "buyer"])
def test_payout_pages_are_for_operators_only(
    who: str,
    signed_in: Callable[[User | None], Client],
    user_factory: Callable[..., User],
    order_factory: OrderFactory,
    shop: Shop,
    owner: User,
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
    operator: User,
) -> None:
    sold(order_factory, shop, categories["batik"], "100000")
    (payout,) = services.build_payout_batch("IDR", actor=operator).payouts
    user = {"anonymous": None, "owner": owner, "buyer": user_factory(phone="+6281299900001")}[who]
    browser = signed_in(user)
    urls = [
        ("get", "/moderasi/pencairan/"),
        ("post", "/moderasi/pencairan/buat/"),
        ("get", f"/moderasi/pencairan/{payout.batch_id}/"),
        ("post", f"/moderasi/pencairan/{payout.batch_id}/unduh/"),
        ("post", f"/moderasi/pencairan/transfer/{payout.pk}/lunas/"),
        ("get", f"/moderasi/pencairan/transfer/{payout.pk}/gagal/"),
        ("post", f"/moderasi/pencairan/transfer/{payout.pk}/gagal/"),
    ]
    for method, url in urls:
        response = getattr(browser, method)(url, {"currency": "IDR", "reason": "x"})
        if user is None:
            assert response.status_code == 302 and "/akun/" in response["Location"], url
        else:
            assert response.status_code == 403, url
    payout.refresh_from_db()
    assert payout.status == "pending"
    assert Payout.objects.count() == 1


def test_the_payouts_page_costs_the_same_queries_for_3_or_12_shops(
    signed_in: Callable[[User | None], Client],
    order_factory: OrderFactory,
    shop_factory: Callable[..., Shop],
    categories: dict[str, Category],
    ledger_settings: LedgerSettings,
    operator: User,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    browser = signed_in(operator)

    def add_shops(n: int) -> None:
        for _ in range(n):
            shop = shop_factory()
            ShopBankAccount.objects.create(
                shop=shop, bank_code="002", account_number="1234567890", holder_name="X"
            )
            sold(order_factory, shop, categories["batik"], "100000")

    def count(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert browser.get(url).status_code == 200
        return len(ctx.captured_queries)

    add_shops(3)
    batch = services.build_payout_batch("IDR", actor=operator).batch
    assert batch is not None
    add_shops(3)
    small = count("/moderasi/pencairan/")
    small_batch = count(f"/moderasi/pencairan/{batch.pk}/")
    add_shops(9)
    big_batch_obj = services.build_payout_batch("IDR", actor=operator).batch
    assert big_batch_obj is not None
    add_shops(9)

    assert count("/moderasi/pencairan/") == small
    assert count(f"/moderasi/pencairan/{big_batch_obj.pk}/") == small_batch
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        browser.get("/moderasi/pencairan/")
