from __future__ import annotations

import io
import os

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfWriter

from portolan.catalogue import services, uploads
from portolan.catalogue.models import Attachment, PublicationStatus
from portolan.testing.factories import InitiativeFactory, MembershipFactory


def _image(fmt: str = "PNG", size=(32, 24), **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def _jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x0131] = "secret-software"  # Software
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (49.0, 29.0, 0.0)
    return _image("JPEG", size=(40, 20), exif=exif)


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_png_is_re_encoded_and_renamed():
    checked = uploads.check_image(io.BytesIO(_image()))
    assert checked.kind == "image"
    assert checked.extension == "png"
    assert checked.content.name.endswith(".png")
    with Image.open(io.BytesIO(checked.content.read())) as image:
        assert image.format == "PNG"
        assert image.size == (32, 24)


def test_exif_metadata_is_removed_and_orientation_applied():
    data = _jpeg_with_exif()
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif()  # the test image really carries EXIF
    checked = uploads.check_image(io.BytesIO(data))
    content = checked.content.read()
    assert b"SpyCam" not in content
    assert b"secret-software" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
        assert image.size == (20, 40)  # rotated upright before the metadata was dropped


def test_oversized_image_is_refused(settings):
    settings.PORTOLAN_MAX_IMAGE_BYTES = 1000
    big = _image("PNG", size=(200, 200)) + os.urandom(2000)
    with pytest.raises(ValidationError) as excinfo:
        uploads.check_image(io.BytesIO(big))
    assert "too large" in excinfo.value.messages[0]
    # The declared size is checked before reading anything.
    with pytest.raises(ValidationError):
        uploads.check_image(io.BytesIO(b"x"), size=10_000)


def test_non_image_with_image_name_is_refused():
    for payload in (b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"GIF89a not really", b""):
        with pytest.raises(ValidationError):
            uploads.check_image(io.BytesIO(payload))


def test_truncated_image_is_refused():
    data = _image("JPEG", size=(200, 200))
    with pytest.raises(ValidationError):
        uploads.check_image(io.BytesIO(data[: len(data) // 2]))


def test_image_with_too_many_pixels_is_refused(monkeypatch):
    # A small file can claim a huge canvas (decompression bomb): the pixel count is checked
    # before decoding. The limit is lowered so the test image stays small.
    monkeypatch.setattr(uploads, "MAX_PIXELS", 100)
    with pytest.raises(ValidationError) as excinfo:
        uploads.check_image(io.BytesIO(_image("PNG", size=(20, 20))))
    assert "pixels" in excinfo.value.messages[0]


def test_real_pdf_is_accepted():
    checked = uploads.check_pdf(io.BytesIO(_pdf()))
    assert checked.kind == "document"
    assert checked.content.name.endswith(".pdf")


def test_fake_pdf_is_refused():
    for payload in (b"%PDF-1.7\nthis is not a pdf at all", b"hello", _image("PNG")):
        with pytest.raises(ValidationError) as excinfo:
            uploads.check_pdf(io.BytesIO(payload))
        assert "not a valid PDF" in excinfo.value.messages[0]


def test_png_renamed_pdf_is_refused_as_document():
    upload = io.BytesIO(_image("PNG"))
    upload.name = "brochure.pdf"
    with pytest.raises(ValidationError):
        uploads.check_upload(upload, kind="document")


def test_oversized_pdf_is_refused(settings):
    settings.PORTOLAN_MAX_DOCUMENT_BYTES = 100
    with pytest.raises(ValidationError):
        uploads.check_pdf(io.BytesIO(_pdf()))


@pytest.mark.django_db
def test_attachment_is_stored_under_media_root_outside_static(settings):
    membership = MembershipFactory()
    record = InitiativeFactory(
        organisation=membership.organisation, publication_status=PublicationStatus.DRAFT
    )
    attachment = services.attachment_add(
        actor=membership.user,
        record=record,
        kind="document",
        upload=io.BytesIO(_pdf()),
        title="  Annual report ",
    )
    path = attachment.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert attachment.title == "Annual report"
    assert os.path.exists(path)
    assert record.history.first().history_user == membership.user


@pytest.mark.django_db
def test_refused_upload_writes_nothing(settings):
    membership = MembershipFactory()
    record = InitiativeFactory(
        organisation=membership.organisation, publication_status=PublicationStatus.DRAFT
    )
    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(
            actor=membership.user,
            record=record,
            kind="document",
            upload=io.BytesIO(b"%PDF-fake"),
            title="",
        )
    assert {"file", "title"} <= set(excinfo.value.message_dict)
    assert not Attachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not os.path.exists(media) or not any(files for _, _, files in os.walk(media))


@pytest.mark.django_db
def test_member_file_on_published_record_goes_back_to_moderation():
    membership = MembershipFactory()
    record = InitiativeFactory(organisation=membership.organisation)
    services.attachment_add(
        actor=membership.user,
        record=record,
        kind="image",
        upload=io.BytesIO(_image()),
        title="Photo",
    )
    record.refresh_from_db()
    assert record.publication_status == PublicationStatus.SUBMITTED
