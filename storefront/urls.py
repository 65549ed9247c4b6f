"""Buyer pages, with Indonesian addresses (the marketplace's home language)."""

from django.urls import path, re_path

from . import sitemaps, views

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
]
