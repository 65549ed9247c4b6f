"""Seller-side pages. Shop-scoped pages live under ``/penjual/<shop_slug>/``; each is guarded by
``rule_required(can_manage_shop, …)``, so a facilitator switches shops by following another
shop's link."""

from django.urls import include, path

urlpatterns = [
    path("", include("sellers.shop_urls")),
    path("", include("sellers.dashboard.urls")),
    path("", include("sellers.spreadsheets.urls")),
]
