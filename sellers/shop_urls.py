"""Seller, facilitator and operator pages of shops.

Included first by ``sellers/urls.py``, so ``/penjual/buka-toko/`` wins over the dashboard's
``/penjual/<slug>/`` (``buka-toko`` is a reserved slug, see ``services.RESERVED_SLUGS``).
"""

from django.urls import URLPattern, URLResolver, include, path

from . import views

app_name = "sellers"

urlpatterns: list[URLPattern | URLResolver] = [
    path("penjual/", views.my_shops, name="my_shops"),
    path("penjual/buka-toko/", views.onboarding_start, name="onboarding_start"),
    path("penjual/<slug:slug>/buka-toko/<int:step>/", views.onboarding, name="onboarding"),
    path("penjual/<slug:slug>/toko/", views.shop_settings, name="settings"),
    path("penjual/<slug:slug>/toko/rekening/", views.bank_account, name="bank_account"),
    path("penjual/<slug:slug>/anggota/", views.members, name="members"),
    path("penjual/<slug:slug>/anggota/<int:pk>/hapus/", views.member_remove, name="member_remove"),
    path("penjual/<slug:slug>/fasilitator/", views.consent, name="consent"),
    path(
        "penjual/<slug:slug>/fasilitator/<int:pk>/cabut/",
        views.consent_revoke,
        name="consent_revoke",
    ),
    path("penjual/<slug:slug>/riwayat/", views.history, name="history"),
    path("fasilitator/", views.facilitator_home, name="facilitator_home"),
    path("moderasi/", include("sellers.moderation.urls")),
]
