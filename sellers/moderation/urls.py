from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.index, name="index"),
    path("toko/", views.shop_queue, name="shops"),
    path("toko/<int:pk>/", views.shop_detail, name="shop"),
    path("produk/", views.product_queue, name="products"),
    path("produk/dihapus/", views.removed_products, name="removed_products"),
    path("produk/<int:pk>/tinjau/", views.product_reviewed, name="product_reviewed"),
    path("produk/<int:pk>/hapus/", views.product_remove, name="product_remove"),
    path("produk/<int:pk>/pulihkan/", views.product_restore, name="product_restore"),
    path("larangan/", views.prohibited_terms, name="terms"),
    path("larangan/<int:pk>/hapus/", views.prohibited_term_delete, name="term_delete"),
]
