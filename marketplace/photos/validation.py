"""Is an upload a photo we accept? Decided by its content, before any pixel is decoded.

Only JPEG, PNG, WebP and HEIC, at most ``MAX_BYTES`` and ``MAX_PIXELS``. Pillow is asked to try
only those four formats, so no other decoder (Ghostscript for EPS, say) ever runs on an upload.
Pillow's decompression-bomb guard (a small file claiming an enormous size) becomes a
``ValidationError`` with a clear message instead of an exception (or a warning that is ignored).
The form field (``forms.PhotoField``), ``services.add_photo`` and GraphQL all call
``validate_photo``, so every way in has the same rules and the same messages.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

#: Pillow's names of the accepted formats ("HEIF" is pillow-heif's, for .heic files).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class PhotoInfo:
    format: str
    width: int
    height: int


def _bomb_error() -> ValidationError:
    limit = (Image.MAX_IMAGE_PIXELS or MAX_PIXELS) // 1_000_000
    return ValidationError(
        _(
            "This file claims to be a gigantic picture (over %(limit)d megapixels) that could "
            "overload the server, so it was refused. Send an ordinary photo of at most "
            "%(max)d megapixels."
        )
        % {"limit": limit, "max": MAX_PIXELS // 1_000_000},
        code="decompression_bomb",
    )


def _format_error() -> ValidationError:
    return ValidationError(
        _("This file is not a photo we can use. Send a JPEG, PNG, WebP or HEIC picture."),
        code="invalid_format",
    )


def damaged_error() -> ValidationError:
    return ValidationError(
        _("This photo is damaged or incomplete. Take it again or choose another one."),
        code="damaged",
    )


@contextmanager
def open_image(file: IO[bytes]) -> Iterator[Image.Image]:
    """Open ``file`` as one of the accepted formats, bombs and unknown content refused.

    Pillow warns (``DecompressionBombWarning``) above ``Image.MAX_IMAGE_PIXELS`` and raises above
    twice that; both become the same ``ValidationError``.
    """
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(file, formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb_error() from exc
        except (UnidentifiedImageError, SyntaxError, ValueError, EOFError) as exc:
            raise _format_error() from exc
        except OSError as exc:
            raise damaged_error() from exc
        # Leave the file open (it is the caller's upload): ``with`` closes only what Pillow opened.
        with image:
            yield image


def _size_of(file: Any) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    end = int(file.seek(0, 2))
    file.seek(0)
    return end


def validate_photo(file: Any) -> PhotoInfo:
    """Check an uploaded file; raise ``ValidationError`` (translated, with a code) if refused.

    Reads only the header: decoding happens once, later, in ``processing.normalise``.
    """
    if file is None or not hasattr(file, "read") or not hasattr(file, "seek"):
        raise ValidationError(_("Choose a photo to upload."), code="required")
    size = _size_of(file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; a photo may be at most %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(MAX_BYTES)},
            code="file_too_large",
        )
    with open_image(file) as image:
        info = PhotoInfo(format=image.format or "", width=image.width, height=image.height)
    file.seek(0)
    if info.format not in ACCEPTED_FORMATS:
        raise _format_error()
    if info.width * info.height > MAX_PIXELS:
        raise ValidationError(
            _(
                "This photo has %(mp)s megapixels; at most %(max)d are accepted. Take it at a "
                "lower resolution or make it smaller first."
            )
            % {"mp": f"{info.width * info.height / 1_000_000:.0f}", "max": MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        )
    if info.width < 1 or info.height < 1:
        raise damaged_error()
    return info
