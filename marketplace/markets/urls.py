from django.urls import path

from . import views

app_name = "markets"

urlpatterns = [
    path("negara/", views.set_country, name="set_country"),
]
