"""An entry is never edited nor deleted: not through a model, not in bulk, not in SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from djmoney.money import Money

from marketplace.ledger.models import LedgerEntry, LedgerIsAppendOnly
from sellers.models import Shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(shop: Shop) -> LedgerEntry:
    return LedgerEntry.objects.create(
        account="shop", shop=shop, kind="sale", amount=Money(100_000, "IDR"), memo="PK-1"
    )


def test_the_models_refuse_to_change_or_delete_an_entry(entry: LedgerEntry) -> None:
    entry.amount = Money(1, "IDR")
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).update(memo="changed")
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).delete()

    assert LedgerEntry.objects.get(pk=entry.pk).amount == Money(100_000, "IDR")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_update_and_delete_in_sql(entry: LedgerEntry) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE ledger_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM ledger_ledgerentry WHERE id = %s", [entry.pk])

    assert LedgerEntry.objects.get(pk=entry.pk).amount == Money(100_000, "IDR")
