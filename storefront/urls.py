"""Buyer pages, with Indonesian addresses (the marketplace's home language)."""

from django.urls import path, re_path

from . import checkout_views, orders_views, sitemaps, views

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    path("cari/", views.search_page, name="search"),
    path("kategori/<slug:slug>/", views.category, name="category"),
    re_path(r"^desa/(?P<code>\d{10})-(?P<slug>[-a-z0-9]*)/$", views.village, name="village"),
    path("toko/<slug:slug>/", views.shop, name="shop"),
    re_path(r"^produk/(?P<pk>\d+)-(?P<slug>[-a-z0-9]*)/$", views.product, name="product"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    # Cart, checkout, payment and the buyer's orders (issue 6).
    path("keranjang/", checkout_views.cart, name="cart"),
    path("keranjang/tambah/", checkout_views.cart_add, name="cart_add"),
    path("keranjang/ubah/", checkout_views.cart_update, name="cart_update"),
    path("keranjang/harga/", checkout_views.cart_accept_prices, name="cart_accept_prices"),
    path("checkout/", checkout_views.checkout, name="checkout"),
    path("checkout/pesan/", checkout_views.place_order, name="place_order"),
    path("pembayaran/<uuid:token>/", checkout_views.payment, name="payment"),
    path("pembayaran/<uuid:token>/bukti/", checkout_views.payment_proof, name="payment_proof"),
    path("pesanan/", orders_views.order_list, name="orders"),
    path("pesanan/<str:number>/", orders_views.order_detail, name="order"),
    path("pesanan/<str:number>/batal/", orders_views.order_cancel, name="order_cancel"),
    path("pesanan/<str:number>/tarik/", orders_views.order_withdraw, name="order_withdraw"),
    path(
        "pesanan/<str:number>/tarik/selesai/",
        orders_views.order_withdrawn,
        name="order_withdrawn",
    ),
]
