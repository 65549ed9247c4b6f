"""Reads of payments for the operator pages, each a fixed number of queries whatever its length."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from marketplace.orders.models import Order

from .models import BankTransferProof, Payment, PaymentMethod, PaymentStatus, ProofStatus


def transfers_awaiting_confirmation() -> QuerySet[Payment]:
    """Pending bank transfers: those with a receipt to check first, then by deadline.

    Buyer joined, proofs (newest first) and orders (with their shop) prefetched: a page of 20
    costs the same queries as a page of 1 (pinned in ``tests/payments/test_operator_pages.py``).
    """
    pending_proof = BankTransferProof.objects.filter(
        payment=OuterRef("pk"), status=ProofStatus.PENDING
    )
    return (
        Payment.objects.filter(method=PaymentMethod.BANK_TRANSFER, status=PaymentStatus.PENDING)
        .annotate(has_proof=Exists(pending_proof))
        .select_related("buyer")
        .prefetch_related(
            Prefetch("proofs", queryset=BankTransferProof.objects.order_by("-uploaded_at", "-pk")),
            Prefetch("orders", queryset=Order.objects.select_related("shop").order_by("pk")),
        )
        .order_by("-has_proof", "expires_at", "pk")
    )


def bank_transfer(pk: int) -> Payment:
    """One bank transfer with what the confirmation page shows (raises ``DoesNotExist``)."""
    return (
        Payment.objects.filter(method=PaymentMethod.BANK_TRANSFER)
        .select_related("buyer", "confirmed_by")
        .prefetch_related(
            Prefetch(
                "proofs",
                queryset=BankTransferProof.objects.select_related("reviewed_by").order_by(
                    "-uploaded_at", "-pk"
                ),
            ),
            Prefetch("orders", queryset=Order.objects.select_related("shop").order_by("pk")),
        )
        .get(pk=pk)
    )
