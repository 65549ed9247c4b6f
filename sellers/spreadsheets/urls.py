"""Spreadsheet import and export of a shop's listings, under ``/penjual/<shop>/``."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "spreadsheets"

urlpatterns: list[URLPattern | URLResolver] = [
    path("penjual/<slug:slug>/impor/", views.upload, name="import"),
    path(
        "penjual/<slug:slug>/impor/templat.xlsx",
        views.template_download,
        {"fmt": "xlsx"},
        name="template_xlsx",
    ),
    path(
        "penjual/<slug:slug>/impor/templat.csv",
        views.template_download,
        {"fmt": "csv"},
        name="template_csv",
    ),
    path("penjual/<slug:slug>/impor/<str:token>/", views.job, name="job"),
    path("penjual/<slug:slug>/ekspor/", views.export, name="export"),
    path(
        "penjual/<slug:slug>/ekspor/produk.xlsx",
        views.export_download,
        {"fmt": "xlsx"},
        name="export_xlsx",
    ),
    path(
        "penjual/<slug:slug>/ekspor/produk.csv",
        views.export_download,
        {"fmt": "csv"},
        name="export_csv",
    ),
]
