"""Operator payment pages under ``/moderasi/`` (Indonesian paths), beside moderation and payouts."""

from django.urls import path

from . import views

app_name = "operator_payments"

urlpatterns = [
    path("transfer/", views.transfers, name="transfers"),
    path("transfer/<int:pk>/", views.transfer, name="transfer"),
    path("transfer/<int:pk>/konfirmasi/", views.transfer_confirm, name="transfer_confirm"),
    path("transfer/<int:pk>/tolak/", views.transfer_reject, name="transfer_reject"),
    path("transfer/bukti/<int:pk>/", views.proof_file, name="proof"),
    path("pesanan/", views.orders, name="orders"),
    path("pesanan/<str:number>/", views.order, name="order"),
    path("pesanan/<str:number>/refund/", views.order_refund, name="order_refund"),
    path("pesanan/<str:number>/diterima/", views.order_deliver, name="order_deliver"),
]
