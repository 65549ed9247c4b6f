"""Operator pages for payouts, under ``/moderasi/pencairan/`` (Indonesian paths)."""

from django.urls import path

from . import views

app_name = "ledger"

urlpatterns = [
    path("", views.payouts, name="payouts"),
    path("buat/", views.build_batch, name="build_batch"),
    path("<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/unduh/", views.export_batch, name="export_batch"),
    path("transfer/<int:pk>/lunas/", views.payout_paid, name="payout_paid"),
    path("transfer/<int:pk>/gagal/", views.payout_failed, name="payout_failed"),
]
