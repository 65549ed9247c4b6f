"""The certificate PDF: WeasyPrint from an HTML template, with a QR code (segno) to the public
verification page, so anyone holding the paper can check it was not revoked."""

from __future__ import annotations

import segno
from django.template.loader import render_to_string
from django.utils import translation

from .models import Certificate


def qr_svg_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as PDF bytes, in Indonesian (the certificate's language is fixed)."""
    from weasyprint import HTML

    with translation.override("id"):
        html = render_to_string(
            "training/certificate_pdf.html",
            {
                "certificate": certificate,
                "verify_url": verify_url,
                "qr": qr_svg_data_uri(verify_url),
            },
        )
    return bytes(HTML(string=html).write_pdf())
