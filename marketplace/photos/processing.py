"""Pixels in, bytes out: the master, the placeholder and the derivatives. No database, no storage.

Kept free of Django models so the benchmark (``bench/photos.py``) and the task run the same code.

- ``normalise``: decode once (JPEGs are decoded at a reduced scale when they are far larger than
  the master), apply the EXIF orientation, convert to sRGB, shrink to ``MASTER_LONG_EDGE`` and
  re-encode from a *fresh* image, so no EXIF, GPS, XMP, ICC or comment can travel along.
- ``render_derivatives``: WebP and AVIF at every width of ``LADDER`` up to the master's width
  (never upscaled), each resized from the master with Lanczos.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageCms, ImageOps

from .validation import damaged_error, open_image

#: Widths of the derivatives, in CSS pixels x density: a 160 px thumbnail up to a 1600 px zoom.
LADDER: tuple[int, ...] = (160, 320, 480, 720, 1080, 1600)
#: The width a product card asks for first (the ``src`` fallback of ``<img>``).
CARD_WIDTH = 480
MASTER_LONG_EDGE = 2400
MASTER_JPEG_QUALITY = 90
MASTER_WEBP_QUALITY = 90
WEBP_QUALITY = 75
WEBP_METHOD = 4
AVIF_QUALITY = 55
#: libavif's speed (0 slowest .. 10 fastest). 8 keeps a 12 MP photo's twelve derivatives well
#: under a second on two cores; 6 would make files ~5 % smaller at three times the time.
AVIF_SPEED = 8
FORMATS: tuple[str, ...] = ("avif", "webp")
LQIP_EDGE = 16


@dataclass(frozen=True)
class Master:
    data: bytes
    extension: str
    width: int
    height: int
    placeholder_color: str
    placeholder_uri: str


@dataclass(frozen=True)
class Derivative:
    format: str
    width: int
    height: int
    data: bytes


_SRGB = ImageCms.createProfile("sRGB")


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert pixels from an embedded colour profile (an iPhone's Display P3) to sRGB.

    The profile itself is dropped with the rest of the metadata, and browsers assume sRGB, so
    without this the colours of such photos would look dull. A broken profile is ignored.
    """
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(source) or "").lower():
            return image
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted if converted is not None else image


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        return True
    return image.mode == "P" and "transparency" in image.info


def _scaled(width: int, height: int, long_edge: int) -> tuple[int, int]:
    scale = min(1.0, long_edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _bare(image: Image.Image) -> Image.Image:
    """A copy carrying pixels only: ``info`` (EXIF, XMP, ICC, comments) stays behind."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def dominant_color(image: Image.Image) -> str:
    """The most common of a few representative colours, as ``#rrggbb``."""
    small = image.convert("RGB").resize((32, 32), Image.Resampling.BOX)
    palette_image = small.quantize(colors=4, method=Image.Quantize.MEDIANCUT)
    counts: list[tuple[int, int]] = palette_image.getcolors() or [(1, 0)]  # type: ignore[assignment]
    index = max(counts)[1]
    palette = palette_image.getpalette() or [221, 221, 221]
    red, green, blue = palette[index * 3 : index * 3 + 3]
    return f"#{red:02x}{green:02x}{blue:02x}"


def lqip_uri(image: Image.Image) -> str:
    """A ~16 px WebP (a few hundred bytes) as a data URI: the blurred preview of a photo."""
    tiny = image.resize(_scaled(image.width, image.height, LQIP_EDGE), Image.Resampling.BOX)
    buffer = io.BytesIO()
    tiny.save(buffer, "WEBP", quality=40, method=6)
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def normalise(file: IO[bytes]) -> Master:
    """Decode an upload (already accepted by ``validate_photo``) into a metadata-free master."""
    with open_image(file) as source:
        try:
            if source.format == "JPEG":
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the master needs no more.
                source.draft("RGB", (MASTER_LONG_EDGE, MASTER_LONG_EDGE))
            source.seek(0)  # animated WebP/PNG: the first frame
            source.load()
            image = ImageOps.exif_transpose(source)
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
            raise damaged_error() from exc
    if image.mode.startswith("I;16") or image.mode == "I":
        # 16-bit greyscale PNG: scale to 8 bits instead of clipping everything to white.
        scaled = image.convert("I").point(lambda value: value * (1 / 256))
        image = scaled.convert("L")
    alpha = _has_alpha(image)
    image = image.convert("RGBA" if alpha else "RGB")
    if alpha and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # an opaque PNG screenshot: no alpha to keep
        alpha = False
    image = _to_srgb(image)
    size = _scaled(image.width, image.height, MASTER_LONG_EDGE)
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    image = _bare(image)
    buffer = io.BytesIO()
    if alpha:
        image.save(buffer, "WEBP", quality=MASTER_WEBP_QUALITY, method=2, exact=False)
        extension = "webp"
    else:
        image.save(buffer, "JPEG", quality=MASTER_JPEG_QUALITY)
        extension = "jpg"
    preview = image.convert("RGB") if alpha else image
    return Master(
        data=buffer.getvalue(),
        extension=extension,
        width=image.width,
        height=image.height,
        placeholder_color=dominant_color(preview),
        placeholder_uri=lqip_uri(image),
    )


def ladder(width: int) -> list[int]:
    """The derivative widths for a master ``width`` wide: never wider than the master."""
    widths = [w for w in LADDER if w <= width]
    return widths or [width]


def render_derivatives(master: IO[bytes]) -> list[Derivative]:
    """Every derivative of a stored master, in every format, by ascending width."""
    master.seek(0)
    try:
        with Image.open(master, formats=("JPEG", "WEBP")) as opened:
            opened.load()
            image = _bare(opened)
    except (OSError, SyntaxError, ValueError) as exc:
        raise damaged_error() from exc
    results: list[Derivative] = []
    for width in ladder(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = (
            image
            if width == image.width
            else image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
        )
        for fmt in FORMATS:
            buffer = io.BytesIO()
            if fmt == "webp":
                resized.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
            else:
                resized.save(buffer, "AVIF", quality=AVIF_QUALITY, speed=AVIF_SPEED)
            results.append(Derivative(fmt, width, height, buffer.getvalue()))
    return results
