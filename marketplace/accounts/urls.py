from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("bahasa/", views.set_language, name="set_language"),
    path("lupa-sandi/", views.password_reset, name="password_reset"),
    path("lupa-sandi/terkirim/", views.password_reset_done, name="password_reset_done"),
    path(
        "lupa-sandi/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"
    ),
    path("lupa-sandi/selesai/", views.password_reset_complete, name="password_reset_complete"),
]
