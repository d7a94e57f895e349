import io

import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image

from practices.models import Attachment, Photo
from practices.services import attachment_add, photo_add
from practices.validators import clean_file_name

from .factories_practices import docx_bytes, jpeg_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture(scope="module")
def bomb_png() -> bytes:
    """10,000 x 10,000 pixels (above Pillow's own warning level) in a few kilobytes."""
    return png_bytes(10_000, 10_000, mode="1")


@pytest.fixture(scope="module")
def big_bomb_png() -> bytes:
    """Above twice Pillow's limit: Image.open itself raises DecompressionBombError."""
    return png_bytes(14_000, 14_000, mode="1")


def test_photo_add_png_stored_under_a_random_name(practice, settings):
    photo = photo_add(practice=practice, upload=upload("Моята снимка.png", png_bytes()))
    assert (photo.width, photo.height, photo.size) == (8, 6, photo.image.size)
    assert photo.image.name.startswith(f"practices/{practice.pk}/photos/")
    assert photo.image.name.endswith(".png")
    assert "Моята" not in photo.image.name


def test_attachment_add_pdf_docx_and_image(practice):
    pdf = attachment_add(practice=practice, upload=upload("Отчет.pdf", pdf_bytes()))
    docx = attachment_add(practice=practice, upload=upload("plan.docx", docx_bytes()))
    image = attachment_add(practice=practice, upload=upload("scan.jpg", jpeg_bytes()))
    assert [(a.original_name, a.content_type) for a in (pdf, docx, image)] == [
        ("Отчет.pdf", "application/pdf"),
        ("plan.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("scan.jpg", "image/jpeg")]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("photo.png", pdf_bytes(), "The file is not a valid image (JPEG, PNG or WebP)."),
    ("photo.jpg", png_bytes(), "The file's content (image/png) does not match its name “.jpg”."),
    ("photo.pdf", pdf_bytes(), "Photos must be JPEG, PNG or WebP images (.jpeg, .jpg, .png, "
                               ".webp)."),
    ("photo.png", b"", "The file is empty."),
])
def test_photo_add_content_not_matching_refused(practice, settings, name, content, message):
    with pytest.raises(ValidationError) as caught:
        photo_add(practice=practice, upload=upload(name, content))
    assert caught.value.messages == [message]
    assert Photo.objects.count() == 0
    assert _stored_files(settings) == []


def test_photo_add_gif_refused_by_content(practice):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "GIF")
    with pytest.raises(ValidationError) as caught:
        photo_add(practice=practice, upload=upload("photo.png", buffer.getvalue()))
    assert caught.value.messages == ["Only JPEG, PNG and WebP images are accepted."]


@pytest.mark.parametrize("fixture", ["bomb_png", "big_bomb_png"])
def test_photo_add_image_bomb_refused(practice, settings, request, fixture):
    content = request.getfixturevalue(fixture)
    with pytest.raises(ValidationError) as caught:
        photo_add(practice=practice, upload=upload("bomb.png", content))
    assert caught.value.messages == [
        "The image is too large in pixels (at most 24 million allowed)."]
    assert Photo.objects.count() == 0
    assert _stored_files(settings) == []


def test_attachment_add_image_bomb_refused(practice, bomb_png):
    with pytest.raises(ValidationError):
        attachment_add(practice=practice, upload=upload("bomb.png", bomb_png))
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize(("name", "content"), [
    ("report.pdf", b"MZ\x90\x00" + b"\x00" * 200),          # a Windows program
    ("report.pdf", b"<html><script>alert(1)</script></html>"),
    ("report.docx", pdf_bytes()),                             # a PDF named as Word
    ("plan.pdf", docx_bytes()),
    ("notes.txt", b"plain text"),
    ("run.exe", b"MZ\x90\x00"),
])
def test_attachment_add_content_not_matching_refused(practice, settings, name, content):
    with pytest.raises(ValidationError):
        attachment_add(practice=practice, upload=upload(name, content))
    assert Attachment.objects.count() == 0
    assert _stored_files(settings) == []


@pytest.mark.parametrize("name", [
    "..\\..\\boot.pdf",
    ".htaccess.pdf",
    "report\u202efdp.exe.pdf",      # right-to-left override
    "report\x00.pdf",
    "line\nbreak.pdf",
    "a" * 150 + ".pdf",
    "   ",
])
def test_attachment_add_hostile_file_name_refused(practice, settings, name):
    with pytest.raises(ValidationError) as caught:
        attachment_add(practice=practice, upload=upload(name, pdf_bytes()))
    assert caught.value.messages == [
        "The file name is not acceptable. Rename the file to a plain name such as "
        "“report.pdf” and upload it again."]
    assert Attachment.objects.count() == 0
    assert _stored_files(settings) == []


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "a/../b.pdf", "..", "x..pdf"])
def test_clean_file_name_path_tricks_refused(name):
    with pytest.raises(ValidationError):
        clean_file_name(name)


def test_attachment_add_path_in_name_keeps_only_the_name(practice):
    attachment = attachment_add(practice=practice,
                                upload=upload("../../etc/passwd.pdf", pdf_bytes()))
    assert attachment.original_name == "passwd.pdf"
    assert attachment.file.name.startswith(f"practices/{practice.pk}/attachments/")


def test_attachment_add_oversized_refused(practice, settings):
    settings.PRACTICE_ATTACHMENT_MAX_BYTES = 100
    content = pdf_bytes() + b"%" * 100
    with pytest.raises(ValidationError) as caught:
        attachment_add(practice=practice, upload=upload("big.pdf", content))
    assert caught.value.messages == [
        f"The file is too large ({filesizeformat(len(content))}); the limit is "
        f"{filesizeformat(100)} per file."]
    assert Attachment.objects.count() == 0
    assert _stored_files(settings) == []


def test_photo_add_oversized_refused(practice, settings):
    settings.PRACTICE_PHOTO_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        photo_add(practice=practice, upload=upload("photo.png", png_bytes()))
    assert Photo.objects.count() == 0


def test_attachment_add_over_the_practice_total_refused(practice, settings):
    attachment = attachment_add(practice=practice, upload=upload("one.pdf", pdf_bytes()))
    photo = photo_add(practice=practice, upload=upload("one.png", png_bytes()))
    settings.PRACTICE_FILES_MAX_BYTES = attachment.size + photo.size
    with pytest.raises(ValidationError) as caught:
        attachment_add(practice=practice, upload=upload("two.pdf", pdf_bytes()))
    assert caught.value.code == "practice_files_too_large"
    assert (Attachment.objects.count(), Photo.objects.count()) == (1, 1)
    assert len(_stored_files(settings)) == 2


def test_photo_add_drops_camera_metadata(practice):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (1, 2, 3)).save(buffer, "JPEG", exif=exif.tobytes())
    assert b"SpyCam" in buffer.getvalue()
    photo = photo_add(practice=practice, upload=upload("camera.jpg", buffer.getvalue()))
    stored = photo.image.open("rb").read()
    photo.image.close()
    assert (b"SpyCam" in stored, photo.size, photo.width) == (False, len(stored), 8)


# --- metadata: neither photos nor image attachments keep what the file carried -------------

COMMENT = b"Meet at the old mill, key under the mat"
GPS_IFD = 0x8825


def camera_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[GPS_IFD] = {1: "N", 2: (42.0, 41.0, 50.0), 3: "E", 4: (23.0, 19.0, 10.0)}
    if orientation:
        exif[0x0112] = orientation
    return exif


def camera_image(image_format: str, orientation: int | None = None) -> bytes:
    """A picture as a phone saves it: EXIF with the GPS position, and a comment (JPEG's COM
    segment, PNG's text chunk, WebP's XMP)."""
    buffer = io.BytesIO()
    pixels = Image.new("RGB", (64, 48))
    pixels.putdata([(x * 4 % 256, y * 5 % 256, (x * y) % 256)
                    for y in range(48) for x in range(64)])
    extra = {"JPEG": {"comment": COMMENT, "quality": 95},
             "PNG": {"pnginfo": _png_text()},
             "WEBP": {"xmp": b"<x:xmpmeta>" + COMMENT + b"</x:xmpmeta>", "lossless": True}}
    pixels.save(buffer, image_format, exif=camera_exif(orientation), **extra[image_format])
    content = buffer.getvalue()
    assert (COMMENT in content, b"SpyCam" in content) == (True, True)
    return content


def _png_text():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", COMMENT.decode())
    return info


def stored(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def metadata(content: bytes) -> tuple:
    with Image.open(io.BytesIO(content)) as image:
        exif = image.getexif()
        return (COMMENT in content, b"SpyCam" in content, dict(exif.get_ifd(GPS_IFD)),
                dict(exif), image.info.get("comment"))


def pixels(content: bytes) -> bytes:
    with Image.open(io.BytesIO(content)) as image:
        return image.convert("RGB").tobytes()


def test_photo_add_drops_the_jpeg_comment_and_the_gps_position(practice):
    photo = photo_add(practice=practice, upload=upload("camera.jpg", camera_image("JPEG")))
    assert metadata(stored(photo.image)) == (False, False, {}, {}, None)


@pytest.mark.parametrize(("name", "image_format"), [
    ("scan.jpg", "JPEG"), ("plan.png", "PNG"), ("site.webp", "WEBP")])
def test_attachment_add_image_loses_its_metadata_and_keeps_its_pixels(practice, name,
                                                                      image_format):
    original = camera_image(image_format)
    attachment = attachment_add(practice=practice, upload=upload(name, original))
    content = stored(attachment.file)
    assert metadata(content) == (False, False, {}, {}, None)
    assert pixels(content) == pixels(original)
    assert (attachment.size, attachment.content_type) == (
        len(content), f"image/{image_format.lower()}")


def test_attachment_add_jpeg_keeps_only_its_orientation(practice):
    original = camera_image("JPEG", orientation=6)
    attachment = attachment_add(practice=practice, upload=upload("turned.jpg", original))
    content = stored(attachment.file)
    assert metadata(content)[:3] == (False, False, {})
    assert dict(Image.open(io.BytesIO(content)).getexif()) == {0x0112: 6}
    assert pixels(content) == pixels(original)


def test_attachment_add_documents_are_stored_as_sent(practice):
    attachment = attachment_add(practice=practice, upload=upload("report.pdf", pdf_bytes()))
    assert stored(attachment.file) == pdf_bytes()
