"""Payment URLs under ``/pembayaran/``: the gateway's webhooks (Stripe calls them, not people)."""

from django.urls import path

from . import webhooks

app_name = "payments"

urlpatterns = [
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe-webhook"),
]
