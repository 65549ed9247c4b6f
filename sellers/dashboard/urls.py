"""The seller dashboard for listings, under ``/penjual/<shop_slug>/`` (Indonesian paths)."""

from django.urls import URLPattern, URLResolver, path

from . import balance, views
from . import orders as order_views
from . import plots as plot_views

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

# Customs papers of an EU order (marketplace/customs/views.py) and export documents
# (sellers/dashboard/documents.py).
from marketplace.customs import views as customs_views  # noqa: E402

from . import documents as document_views  # noqa: E402

urlpatterns += [
    path(_ORDER + "cn23.pdf", customs_views.cn23, name="order_cn23"),
    path(_ORDER + "invoice.pdf", customs_views.invoice, name="order_invoice"),
    path(_SHOP + "dokumen/", document_views.documents, name="documents"),
    path(
        _SHOP + "dokumen/<int:document_pk>/hapus/",
        document_views.document_delete,
        name="document_delete",
    ),
    path(
        _SHOP + "dokumen/<int:document_pk>/berkas/",
        document_views.document_file,
        name="document_file",
    ),
]

# EUDR production plots and due-diligence packs (sellers/dashboard/plots.py).
_PLOT = _SHOP + "kebun/<int:plot_pk>/"

urlpatterns += [
    path(_SHOP + "kebun/", plot_views.plot_list, name="plots"),
    path(_SHOP + "kebun/baru/", plot_views.plot_new, name="plot_new"),
    path(_SHOP + "kebun/impor/", plot_views.plot_import, name="plot_import"),
    path(_PLOT, plot_views.plot_edit, name="plot_edit"),
    path(_PLOT + "produk/", plot_views.plot_links, name="plot_links"),
    path(_PLOT + "hapus/", plot_views.plot_delete, name="plot_delete"),
    path(_PRODUCT + "eudr.<str:fmt>", plot_views.product_pack, name="product_pack"),
    path(_ORDER + "eudr.<str:fmt>", plot_views.order_pack, name="order_pack"),
]

# Export readiness of a listing (sellers/dashboard/readiness.py).
from . import readiness as readiness_views  # noqa: E402

urlpatterns += [
    path(_PRODUCT + "ekspor/", readiness_views.product_readiness, name="product_readiness"),
]
