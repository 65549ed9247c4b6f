"""The seller dashboard for listings, under ``/penjual/<shop_slug>/`` (Indonesian paths)."""

from django.urls import URLPattern, URLResolver, path

from . import balance, views
from . import orders as order_views

app_name = "dashboard"

_SHOP = "penjual/<slug:shop_slug>/"
_PRODUCT = _SHOP + "produk/<int:pk>/"
_VARIANT = _PRODUCT + "varian/<int:variant_pk>/"
_PHOTO = _PRODUCT + "foto/<int:photo_pk>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(_SHOP, views.products, name="products"),
    path(_SHOP + "produk/baru/", views.product_new, name="product_new"),
    path(_SHOP + "saldo/", balance.balance, name="balance"),
    path(_SHOP + "produk/baru/detail/", views.product_new_details, name="product_new_details"),
    path(_PRODUCT, views.product, name="product"),
    path(_PRODUCT + "detail/", views.product_details, name="product_details"),
    path(_PRODUCT + "terbitkan/", views.product_publish, name="product_publish"),
    path(_PRODUCT + "arsipkan/", views.product_archive, name="product_archive"),
    path(_PRODUCT + "varian/baru/", views.variant_new, name="variant_new"),
    path(_VARIANT, views.variant_edit, name="variant_edit"),
    path(_VARIANT + "hapus/", views.variant_delete, name="variant_delete"),
    path(_VARIANT + "stok/", views.variant_stock, name="variant_stock"),
    path(_PRODUCT + "foto/", views.photos, name="photos"),
    path(_PHOTO + "hapus/", views.photo_delete, name="photo_delete"),
    path(_PHOTO + "geser/", views.photo_move, name="photo_move"),
    path(_PHOTO + "keterangan/", views.photo_alt_text, name="photo_alt_text"),
]

# Orders to fulfil (sellers/dashboard/orders.py).
_ORDER = _SHOP + "pesanan/<str:number>/"

urlpatterns += [
    path(_SHOP + "pesanan/", order_views.order_list, name="orders"),
    path(_ORDER, order_views.order_detail, name="order"),
    path(_ORDER + "kemas/", order_views.order_process, name="order_process"),
    path(_ORDER + "kirim/", order_views.order_ship, name="order_ship"),
    path(_ORDER + "diterima/", order_views.order_deliver, name="order_deliver"),
    path(_ORDER + "batalkan/", order_views.order_cancel, name="order_cancel"),
    path(_ORDER + "slip.pdf", order_views.packing_slip, name="packing_slip"),
]
