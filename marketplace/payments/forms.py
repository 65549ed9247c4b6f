"""Forms of the operator payment pages. They parse; ``payments.services`` decides.

Whether a refund fits what is left of the order, or a line still has units to refund, is the
services' rule; their ``ValidationError`` comes back next to the field it names.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from djmoney.money import Money

from marketplace.orders.models import Order, OrderLine
from sellers.dashboard.forms import normalise_eur, normalise_idr


class RejectTransferForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What is wrong? The buyer reads this."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OrderSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Order number, e-mail or tracking number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )


class RefundMode:
    FULL = "full"
    AMOUNT = "amount"
    LINES = "lines"


def line_field_name(line: OrderLine) -> str:
    return f"line_{line.pk}"


class RefundForm(forms.Form):
    """Refund what is left, a typed amount, or units per line; always with a reason."""

    mode = forms.ChoiceField(
        label=gettext_lazy("What to refund"),
        choices=[
            (RefundMode.FULL, gettext_lazy("Everything not refunded yet")),
            (RefundMode.AMOUNT, gettext_lazy("An amount")),
            (RefundMode.LINES, gettext_lazy("Items (per line)")),
        ],
        widget=forms.RadioSelect,
        initial=RefundMode.FULL,
    )
    amount = forms.CharField(
        label=gettext_lazy("Amount"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (the buyer reads it)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order = order
        self.order_lines = list(order.lines.all())
        for line in self.order_lines:
            left = line.quantity - line.quantity_refunded
            self.fields[line_field_name(line)] = forms.IntegerField(
                label=f"{line.sku} · {line.product_title}",
                required=False,
                min_value=0,
                max_value=left,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                help_text=_("%(n)d of %(total)d not refunded yet")
                % {"n": left, "total": line.quantity},
            )

    def line_fields(self) -> list[forms.BoundField]:
        return [self[line_field_name(line)] for line in self.order_lines]

    def clean_reason(self) -> str:
        value = str(self.cleaned_data["reason"]).strip()
        if not value:
            raise ValidationError(_("Give the reason for the refund."), code="required")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("mode")
        if mode == RefundMode.AMOUNT:
            data["money"] = self._money(str(data.get("amount") or ""))
        elif mode == RefundMode.LINES:
            data["quantities"] = {
                line.pk: data.get(line_field_name(line)) or 0 for line in self.order_lines
            }
            if not any(data["quantities"].values()):
                raise ValidationError(_("Enter how many units of which item to refund."))
        return data

    def _money(self, text: str) -> Money | None:
        currency = self.order.currency
        raw = normalise_idr(text) if currency == "IDR" else normalise_eur(text)
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.add_error("amount", _("Enter an amount, for example 25.000 or 12,50."))
            return None
        places = 0 if currency == "IDR" else 2
        if not value.is_finite() or value.as_tuple().exponent < -places:  # type: ignore[operator]
            self.add_error("amount", _("Enter an amount, for example 25.000 or 12,50."))
            return None
        if value <= 0:
            self.add_error("amount", _("Enter an amount above zero."))
            return None
        return Money(value, currency)
