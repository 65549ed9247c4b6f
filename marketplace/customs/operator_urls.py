"""Operator customs pages under ``/moderasi/`` (Indonesian paths)."""

from django.urls import path

from . import views

app_name = "customs"

urlpatterns = [
    path("ioss/", views.ioss_report, name="ioss"),
    path("safety-gate/", views.safety_gate, name="safety_gate"),
    path("safety-gate/<int:pk>/cabut/", views.safety_gate_lift, name="safety_gate_lift"),
]
