"""Checking uploaded files by their content, never by their name or the browser's content type.

Images are decoded with Pillow and re-encoded, which drops EXIF/GPS and any bytes hidden after the
picture. Documents must be real PDFs that pypdf can open. Both have a size limit from settings."""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .models import AttachmentKind

# Formats we accept on input, and what we write back.
_IMAGE_OUTPUT = {"JPEG": ("JPEG", "jpg"), "PNG": ("PNG", "png"), "GIF": ("PNG", "png")}
_IMAGE_OUTPUT["WEBP"] = ("WEBP", "webp")
# Refuse absurd canvases before decoding them (decompression bombs).
MAX_PIXELS = 40_000_000

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    kind: str
    size: int
    extension: str


def _read_limited(upload: IO[bytes], limit: int, size: int | None) -> bytes:
    if size is not None and size > limit:
        raise ValidationError(
            gettext("The file is too large (limit %(limit)s).") % {"limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            gettext("The file is too large (limit %(limit)s).") % {"limit": filesizeformat(limit)},
            code="too_large",
        )
    if not data:
        raise ValidationError(gettext("The file is empty."), code="empty")
    return data


def check_image(upload: IO[bytes], *, size: int | None = None) -> CheckedFile:
    data = _read_limited(upload, settings.PORTOLAN_MAX_IMAGE_BYTES, size)
    not_image = ValidationError(
        gettext("This file is not an image we accept (JPEG, PNG, GIF or WebP)."), code="not_image"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format or ""
                if image_format not in _IMAGE_OUTPUT:
                    raise not_image
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(
                        gettext("The image is too large in pixels."), code="too_many_pixels"
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
                # Apply the EXIF orientation before the metadata is dropped.
                image: Image.Image = ImageOps.exif_transpose(opened)
                out_format, extension = _IMAGE_OUTPUT[image_format]
                if out_format == "JPEG" and image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                elif out_format in ("PNG", "WEBP") and image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA")
                buffer = io.BytesIO()
                # A fresh save with no `exif`/`icc_profile`/`pnginfo` argument writes no metadata.
                options: dict[str, object] = {"optimize": True}
                if out_format == "JPEG":
                    options["quality"] = 85
                image.save(buffer, format=out_format, **options)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise not_image from None
    content = buffer.getvalue()
    return CheckedFile(
        content=ContentFile(content, name=f"{uuid.uuid4().hex}.{extension}"),
        kind=AttachmentKind.IMAGE,
        size=len(content),
        extension=extension,
    )


def check_pdf(upload: IO[bytes], *, size: int | None = None) -> CheckedFile:
    data = _read_limited(upload, settings.PORTOLAN_MAX_DOCUMENT_BYTES, size)
    not_pdf = ValidationError(gettext("This file is not a valid PDF document."), code="not_pdf")
    if not data.startswith(b"%PDF-"):
        raise not_pdf
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                gettext("Password-protected PDF documents are not accepted."), code="encrypted"
            )
        if len(reader.pages) < 1:
            raise not_pdf
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        raise not_pdf from None
    return CheckedFile(
        content=ContentFile(data, name=f"{uuid.uuid4().hex}.pdf"),
        kind=AttachmentKind.DOCUMENT,
        size=len(data),
        extension="pdf",
    )


def check_upload(upload: IO[bytes], *, kind: str, size: int | None = None) -> CheckedFile:
    if kind == AttachmentKind.IMAGE:
        return check_image(upload, size=size)
    if kind == AttachmentKind.DOCUMENT:
        return check_pdf(upload, size=size)
    raise ValidationError(gettext("Choose an image or a PDF document."), code="bad_kind")


def content_type_for(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return CONTENT_TYPES.get(extension, "application/octet-stream")
