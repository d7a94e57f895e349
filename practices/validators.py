"""Checks on uploaded files: by content, never by the name or the browser's word.

Limits may be tuned in settings (PRACTICE_PHOTO_MAX_BYTES, PRACTICE_ATTACHMENT_MAX_BYTES,
PRACTICE_FILES_MAX_BYTES, PRACTICE_PHOTO_MAX_PIXELS); the defaults suit a national call.
"""

import io
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MB = 1024 * 1024

# Pillow format -> (content type, the file name suffixes that may carry it)
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", {".jpg", ".jpeg"}),
    "PNG": ("image/png", {".png"}),
    "WEBP": ("image/webp", {".webp"}),
}
# What filetype's sniffing finds -> the suffixes a document of that kind may have
DOCUMENT_KINDS = {
    "application/pdf": {".pdf"},
    "application/msword": {".doc"},
    "application/vnd.ms-excel": {".xls"},
    "application/vnd.ms-powerpoint": {".ppt"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
    "application/vnd.oasis.opendocument.text": {".odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {".ods"},
    "application/vnd.oasis.opendocument.presentation": {".odp"},
}
PHOTO_SUFFIXES = sorted(set().union(*(suffixes for _t, suffixes in IMAGE_FORMATS.values())))
ATTACHMENT_SUFFIXES = sorted(set().union(*DOCUMENT_KINDS.values(), PHOTO_SUFFIXES))
MAX_NAME_LENGTH = 150


def photo_max_bytes() -> int:
    return getattr(settings, "PRACTICE_PHOTO_MAX_BYTES", 5 * MB)


def attachment_max_bytes() -> int:
    return getattr(settings, "PRACTICE_ATTACHMENT_MAX_BYTES", 10 * MB)


def practice_files_max_bytes() -> int:
    return getattr(settings, "PRACTICE_FILES_MAX_BYTES", 40 * MB)


def photo_max_pixels() -> int:
    return getattr(settings, "PRACTICE_PHOTO_MAX_PIXELS", 40_000_000)


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the cleaned original name, for display only
    content_type: str
    size: int
    width: int | None = None
    height: int | None = None


def clean_file_name(raw: str) -> str:
    """The file's own name, or a refusal when it tries to be more than a name."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    hostile = (
        not name
        or name in {".", ".."}
        or name.startswith(".")
        or "/" in name or "\\" in name
        or ".." in name
        or len(name) > MAX_NAME_LENGTH
        # control characters, and format characters such as the right-to-left override
        # that make "report‮fdp.exe" look like "reportexe.pdf"
        or any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in name)
    )
    if hostile:
        raise ValidationError(
            _("The file name is not acceptable. Rename the file to a plain name such as "
              "“report.pdf” and upload it again."), code="file_name")
    return name


def _suffix(name: str) -> str:
    return PurePath(name).suffix.lower()


def _check_size(upload, limit: int) -> int:
    size = upload.size
    if size is None or size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s per file.")
            % {"size": filesizeformat(size or 0), "limit": filesizeformat(limit)},
            code="file_too_large")
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    return size


def _inspect_image(upload, suffix: str) -> tuple[str, int, int]:
    """Open the image safely: refuse bombs before decoding, then decode it fully."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if width * height > photo_max_pixels():
                    raise Image.DecompressionBombError("too many pixels")
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("The image is too large in pixels (at most %(pixels)s million allowed).")
            % {"pixels": photo_max_pixels() // 1_000_000}, code="image_bomb") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The file is not a valid image (JPEG, PNG or WebP)."),
            code="image_invalid") from error
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(_("Only JPEG, PNG and WebP images are accepted."),
                              code="image_format")
    content_type, suffixes = IMAGE_FORMATS[image_format]
    if suffix not in suffixes:
        raise ValidationError(
            _("The file's content (%(kind)s) does not match its name “%(suffix)s”.")
            % {"kind": content_type, "suffix": suffix}, code="file_mismatch")
    return content_type, width, height


def validate_photo(upload) -> CheckedFile:
    name = clean_file_name(upload.name)
    suffix = _suffix(name)
    if suffix not in PHOTO_SUFFIXES:
        raise ValidationError(
            _("Photos must be JPEG, PNG or WebP images (%(suffixes)s).")
            % {"suffixes": ", ".join(PHOTO_SUFFIXES)}, code="file_type")
    size = _check_size(upload, photo_max_bytes())
    content_type, width, height = _inspect_image(upload, suffix)
    return CheckedFile(name=name, content_type=content_type, size=size, width=width,
                       height=height)


def photo_without_metadata(upload, content_type: str) -> tuple[bytes, int, int]:
    """The photo re-encoded from its pixels: camera metadata (GPS position, device) is not
    published with it, and whatever else the file carried is dropped."""
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        if content_type == "image/jpeg":
            image.convert("RGB").save(buffer, "JPEG", quality=90, optimize=True)
        elif content_type == "image/webp":
            image.save(buffer, "WEBP", quality=90)
        else:
            image.save(buffer, "PNG", optimize=True)
        width, height = image.size
    upload.seek(0)
    return buffer.getvalue(), width, height


def validate_attachment(upload) -> CheckedFile:
    name = clean_file_name(upload.name)
    suffix = _suffix(name)
    if suffix not in ATTACHMENT_SUFFIXES:
        raise ValidationError(
            _("Attachments must be PDF, office documents or images (%(suffixes)s).")
            % {"suffixes": ", ".join(ATTACHMENT_SUFFIXES)}, code="file_type")
    size = _check_size(upload, attachment_max_bytes())
    if suffix in PHOTO_SUFFIXES:
        content_type, width, height = _inspect_image(upload, suffix)
        return CheckedFile(name=name, content_type=content_type, size=size)
    upload.seek(0)
    head = upload.read(65536)
    upload.seek(0)
    kind = filetype.guess(head)
    content_type = kind.mime if kind else ""
    if content_type not in DOCUMENT_KINDS or suffix not in DOCUMENT_KINDS[content_type]:
        raise ValidationError(
            _("The file's content does not match its name “%(suffix)s”: upload a real "
              "PDF, office document or image.") % {"suffix": suffix}, code="file_mismatch")
    return CheckedFile(name=name, content_type=content_type, size=size)


def validate_practice_total(*, used: int, adding: int) -> None:
    limit = practice_files_max_bytes()
    if used + adding > limit:
        raise ValidationError(
            _("The practice's files would exceed %(limit)s in all (%(used)s used). "
              "Remove a file first.")
            % {"limit": filesizeformat(limit), "used": filesizeformat(used)},
            code="practice_files_too_large")
