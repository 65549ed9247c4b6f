"""A stand-in for Stripe's HTTP API and a signer for its webhooks.

Why the fake sits at the HTTP boundary rather than mocking ``stripe`` functions: the code under test
is our use of the official client (parameters it form-encodes, the ``Idempotency-Key`` header it
sends, the base address setting, how it raises on a connection failure, how it turns JSON into
objects) as much as our own logic. A mock of ``client.v1.payment_intents.create`` would agree with
whatever we wrote; a local server that answers with Stripe's real response shapes only agrees with
what Stripe would accept. Likewise webhooks are signed with Stripe's real scheme
(``Stripe-Signature: t=<ts>,v1=<HMAC-SHA256 of "<ts>.<payload>">``) so the view's verification with
``stripe.Webhook.construct_event`` is exercised, not bypassed.

The server keeps just enough state to be consistent: PaymentIntents, their Charges, Refunds, and
the response given to each ``Idempotency-Key`` (Stripe replays it for a repeated key).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

WEBHOOK_SECRET = "whsec_test_pasar_kampung_0123456789abcdef"
SECRET_KEY = "sk_test_51PasarKampungFakeKey0000000000000000"
PUBLISHABLE_KEY = "pk_test_51PasarKampungFakeKey0000000000000000"
API_VERSION = "2025-09-30.clover"


def _token(prefix: str) -> str:
    return f"{prefix}_3{secrets.token_hex(12)}"


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    #: Form parameters exactly as Stripe receives them: ``{"metadata[payment_id]": "7", ...}``.
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class StripeFake:
    """Stripe's API for PaymentIntents and Refunds, served from a thread on 127.0.0.1."""

    requests: list[RecordedRequest] = field(default_factory=list)
    payment_intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    charges: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Idempotency-Key -> (path, params, status, body) of the first request with that key.
    _replies: dict[str, tuple[str, dict[str, str], int, bytes]] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- server --------------------------------------------------------------------------------

    def start(self) -> StripeFake:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep pytest output clean

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        request = RecordedRequest(
            method=method,
            path=parts.path,
            query=dict(parse_qsl(parts.query)),
            params=dict(parse_qsl(body, keep_blank_values=True)),
            headers={k.lower(): v for k, v in handler.headers.items()},
        )
        with self._lock:
            self.requests.append(request)
            key = request.headers.get("idempotency-key", "")
            if method == "POST" and key in self._replies:
                path, params, status, payload = self._replies[key]
                if (path, params) == (request.path, request.params):
                    # Stripe answers a repeated key with the first response, marked as replayed.
                    self._reply(handler, status, payload, replayed=True)
                    return
                status, payload = 400, json.dumps(_idempotency_error(key)).encode()
                self._reply(handler, status, payload)
                return
            status, obj = self._route(request)
            payload = json.dumps(obj).encode()
            if method == "POST" and key:
                self._replies[key] = (request.path, request.params, status, payload)
        self._reply(handler, status, payload)

    def _reply(
        self, handler: BaseHTTPRequestHandler, status: int, payload: bytes, replayed: bool = False
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.send_header("Request-Id", f"req_{secrets.token_hex(7)}")
        handler.send_header("Stripe-Version", API_VERSION)
        if replayed:
            handler.send_header("Idempotent-Replayed", "true")
        handler.end_headers()
        handler.wfile.write(payload)

    def _route(self, request: RecordedRequest) -> tuple[int, dict[str, Any]]:
        if not request.headers.get("authorization", "").startswith("Bearer sk_test_"):
            return 401, _error("invalid_request_error", "Invalid API Key provided.")
        path = request.path
        if request.method == "POST" and path == "/v1/payment_intents":
            return self._create_payment_intent(request.params)
        match = re.fullmatch(r"/v1/payment_intents/(pi_\w+)", path)
        if request.method == "GET" and match:
            intent = self.payment_intents.get(match.group(1))
            if intent is None:
                return 404, _missing("payment_intent", match.group(1))
            return 200, intent
        match = re.fullmatch(r"/v1/payment_intents/(pi_\w+)/cancel", path)
        if request.method == "POST" and match:
            return self._cancel_payment_intent(match.group(1), request.params)
        if request.method == "POST" and path == "/v1/refunds":
            return self._create_refund(request.params)
        if request.method == "GET" and path == "/v1/refunds":
            charge = request.query.get("charge")
            data = [r for r in self.refunds.values() if not charge or r["charge"] == charge]
            return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/refunds"}
        return 404, _error("invalid_request_error", f"Unrecognized request URL ({path}).")

    # --- resources -----------------------------------------------------------------------------

    def _create_payment_intent(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        try:
            amount = int(params["amount"])
        except (KeyError, ValueError):
            return 400, _error("invalid_request_error", "Missing required param: amount.", "amount")
        currency = params.get("currency", "")
        if not currency or currency != currency.lower():
            return 400, _error("invalid_request_error", "Invalid currency.", "currency")
        intent_id = _token("pi")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_details": {"tip": {}},
            "amount_received": 0,
            "application": None,
            "application_fee_amount": None,
            "automatic_payment_methods": {
                "allow_redirects": "always",
                "enabled": params.get("automatic_payment_methods[enabled]") == "true",
            },
            "canceled_at": None,
            "cancellation_reason": None,
            "capture_method": "automatic_async",
            "client_secret": f"{intent_id}_secret_{secrets.token_urlsafe(18)}",
            "confirmation_method": "automatic",
            "created": int(time.time()),
            "currency": currency,
            "customer": None,
            "description": params.get("description"),
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": {
                k[len("metadata[") : -1]: v for k, v in params.items() if k.startswith("metadata[")
            },
            "next_action": None,
            "on_behalf_of": None,
            "payment_method": None,
            "payment_method_configuration_details": {
                "id": "pmc_1PasarKampungDefault",
                "parent": None,
            },
            "payment_method_options": {
                "card": {
                    "installments": None,
                    "network": None,
                    "request_three_d_secure": "automatic",
                }
            },
            "payment_method_types": ["card"],
            "processing": None,
            "receipt_email": params.get("receipt_email"),
            "review": None,
            "setup_future_usage": None,
            "shipping": None,
            "source": None,
            "statement_descriptor": None,
            "statement_descriptor_suffix": None,
            "status": "requires_payment_method",
            "transfer_data": None,
            "transfer_group": None,
        }
        self.payment_intents[intent_id] = intent
        return 200, intent

    def _cancel_payment_intent(
        self, intent_id: str, params: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        intent = self.payment_intents.get(intent_id)
        if intent is None:
            return 404, _missing("payment_intent", intent_id)
        if intent["status"] in ("succeeded", "canceled"):
            return 400, {
                "error": {
                    "code": "payment_intent_unexpected_state",
                    "message": "You cannot cancel this PaymentIntent because it has a status of "
                    f"{intent['status']}.",
                    "payment_intent": intent,
                    "type": "invalid_request_error",
                }
            }
        intent.update(
            status="canceled",
            canceled_at=int(time.time()),
            cancellation_reason=params.get("cancellation_reason"),
        )
        return 200, intent

    def _create_refund(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        intent = self.payment_intents.get(params.get("payment_intent", ""))
        if intent is None or intent["latest_charge"] is None:
            return 400, _error(
                "invalid_request_error",
                "This PaymentIntent does not have a successful charge to refund.",
                "payment_intent",
            )
        charge = self.charges[intent["latest_charge"]]
        amount = int(params.get("amount") or charge["amount"] - charge["amount_refunded"])
        if amount > charge["amount"] - charge["amount_refunded"]:
            return 400, {
                "error": {
                    "code": "charge_already_refunded" if charge["refunded"] else "amount_too_large",
                    "message": f"Refund amount ({amount}) is greater than unrefunded amount "
                    f"on charge ({charge['amount'] - charge['amount_refunded']})",
                    "param": "amount",
                    "type": "invalid_request_error",
                }
            }
        return 200, self.add_refund(charge["id"], amount)

    def add_refund(self, charge_id: str, amount: int) -> dict[str, Any]:
        """A refund on the charge, as the API or the Dashboard would make it."""
        charge = self.charges[charge_id]
        refund = {
            "id": _token("re"),
            "object": "refund",
            "amount": amount,
            "balance_transaction": _token("txn"),
            "charge": charge_id,
            "created": int(time.time()),
            "currency": charge["currency"],
            "destination_details": {"card": {"reference_status": "pending", "type": "refund"}},
            "metadata": {},
            "payment_intent": charge["payment_intent"],
            "reason": None,
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": "succeeded",
            "transfer_reversal": None,
        }
        self.refunds[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        charge["refunds"]["data"].insert(0, refund)
        charge["refunds"]["total_count"] += 1
        return refund

    def succeed(self, intent_id: str) -> dict[str, Any]:
        """The buyer paid: the intent succeeds with a captured charge (what Stripe.js confirm does)."""
        intent = self.payment_intents[intent_id]
        charge_id = _token("ch")
        self.charges[charge_id] = {
            "id": charge_id,
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": intent["amount"],
            "amount_refunded": 0,
            "balance_transaction": _token("txn"),
            "billing_details": {"address": {}, "email": None, "name": None, "phone": None},
            "captured": True,
            "created": int(time.time()),
            "currency": intent["currency"],
            "customer": None,
            "description": None,
            "disputed": False,
            "failure_code": None,
            "failure_message": None,
            "livemode": False,
            "metadata": dict(intent["metadata"]),
            "outcome": {"network_status": "approved_by_network", "type": "authorized"},
            "paid": True,
            "payment_intent": intent_id,
            "payment_method": f"pm_{secrets.token_hex(12)}",
            "payment_method_details": {"card": {"brand": "visa", "last4": "4242"}, "type": "card"},
            "refunded": False,
            "refunds": {
                "object": "list",
                "data": [],
                "has_more": False,
                "total_count": 0,
                "url": f"/v1/charges/{charge_id}/refunds",
            },
            "status": "succeeded",
        }
        intent.update(
            status="succeeded",
            amount_received=intent["amount"],
            latest_charge=charge_id,
            payment_method=self.charges[charge_id]["payment_method"],
        )
        return intent

    def fail(self, intent_id: str) -> dict[str, Any]:
        """The card was declined: back to ``requires_payment_method`` with the error."""
        intent = self.payment_intents[intent_id]
        intent.update(
            status="requires_payment_method",
            last_payment_error={
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": "Your card was declined.",
                "type": "card_error",
            },
        )
        return intent

    def charge_of(self, intent_id: str) -> dict[str, Any]:
        return self.charges[self.payment_intents[intent_id]["latest_charge"]]

    def posts(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path == path]


def _error(kind: str, message: str, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "param": param, "type": kind}}


def _idempotency_error(key: str) -> dict[str, Any]:
    return {
        "error": {
            "message": "Keys for idempotent requests can only be used with the same parameters "
            f"they were first used with. Try using a key other than '{key}' if you meant to "
            "execute a different request.",
            "type": "idempotency_error",
        }
    }


def _missing(resource: str, ident: str) -> dict[str, Any]:
    return {
        "error": {
            "code": "resource_missing",
            "message": f"No such {resource}: '{ident}'",
            "param": "intent",
            "type": "invalid_request_error",
        }
    }


# --- webhooks ----------------------------------------------------------------------------------


def event(kind: str, obj: dict[str, Any], *, event_id: str | None = None) -> bytes:
    """A webhook body as Stripe sends it: an Event whose ``data.object`` is a snapshot."""
    payload = {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "data": {"object": json.loads(json.dumps(obj))},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": kind,
    }
    return json.dumps(payload, indent=2).encode()


def signature(payload: bytes, secret: str = WEBHOOK_SECRET, *, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header: ``t=<ts>,v1=<hex HMAC-SHA256 of "<ts>.<payload>">``."""
    ts = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"
