"""Checks on uploaded files: by content, never by the name or the browser's word.

Limits are settings (portal/settings.py: PRACTICE_PHOTO_MAX_BYTES, PRACTICE_ATTACHMENT_MAX_BYTES,
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
IMAGE_CONTENT_TYPES = {content_type for content_type, _suffixes in IMAGE_FORMATS.values()}
PHOTO_SUFFIXES = sorted(set().union(*(suffixes for _t, suffixes in IMAGE_FORMATS.values())))
ATTACHMENT_SUFFIXES = sorted(set().union(*DOCUMENT_KINDS.values(), PHOTO_SUFFIXES))
MAX_NAME_LENGTH = 150


def photo_max_bytes() -> int:
    return settings.PRACTICE_PHOTO_MAX_BYTES


def attachment_max_bytes() -> int:
    return settings.PRACTICE_ATTACHMENT_MAX_BYTES


def practice_files_max_bytes() -> int:
    return settings.PRACTICE_FILES_MAX_BYTES


def photo_max_pixels() -> int:
    """The pixel budget of an uploaded image (settings.PRACTICE_PHOTO_MAX_PIXELS), checked
    on the dimensions in the file's header before anything is decoded."""
    return settings.PRACTICE_PHOTO_MAX_PIXELS


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
    """Open the image safely: refuse bombs before decoding (Image.open reads only the
    header, with the dimensions), then decode it fully."""
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


# What a re-encoded photo keeps of what the file carried: its colours' meaning, and
# transparency. Never the comment (Pillow writes `info["comment"]` back into a JPEG), EXIF,
# XMP or anything else.
KEPT_IMAGE_INFO = ("icc_profile", "transparency")


def photo_without_metadata(upload, content_type: str) -> tuple[bytes, int, int]:
    """The photo re-encoded from its pixels: camera metadata (GPS position, device), the
    file's comment and whatever else the file carried are not published with it."""
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        if content_type == "image/jpeg":
            image = image.convert("RGB")
        image.info = {key: image.info[key] for key in KEPT_IMAGE_INFO if key in image.info}
        buffer = io.BytesIO()
        if content_type == "image/jpeg":
            image.save(buffer, "JPEG", quality=90, optimize=True)
        elif content_type == "image/webp":
            image.save(buffer, "WEBP", quality=90)
        else:
            image.save(buffer, "PNG", optimize=True)
        width, height = image.size
    upload.seek(0)
    return buffer.getvalue(), width, height


# JPEG segments an image attachment keeps: JFIF, the ICC colour profile, Adobe's colour
# transform (their identifiers, APPn marker -> payload prefix). Every other APPn (EXIF with
# the GPS position, XMP, IPTC, multi-picture images), comments (COM) and anything after the
# end of the image are dropped.
JPEG_KEPT_SEGMENTS = {0xE0: b"JFIF\0", 0xE2: b"ICC_PROFILE\0", 0xEE: b"Adobe"}
# PNG chunks an image attachment keeps: the image and how to show it; never text (tEXt,
# zTXt, iTXt), EXIF (eXIf), a time stamp (tIME) or a private chunk.
PNG_KEPT_CHUNKS = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB",
                   b"iCCP", b"sBIT", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT"}
EXIF_ORIENTATION = 0x0112


def _jpeg_without_metadata(data: bytes, orientation: int) -> bytes:
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    parts, pos = [data[:2], _jpeg_orientation_segment(orientation)], 2
    while True:
        if data[pos] != 0xFF:
            raise ValueError("not a marker")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # end of image: whatever follows is not the image
            parts.append(data[pos:pos + 2])
            return b"".join(parts)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            parts.append(data[pos:pos + 2])
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise ValueError("truncated segment")
        if _jpeg_segment_kept(marker, data[pos + 4:end]):
            parts.append(data[pos:end])
        pos = end
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            scan = _jpeg_scan_end(data, pos)
            parts.append(data[pos:scan])
            pos = scan


def _jpeg_orientation_segment(orientation: int) -> bytes:
    """An EXIF segment holding only the orientation, to keep the photo the right way up
    (nothing when it is upright or unknown)."""
    if orientation not in range(2, 9):
        return b""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    payload = exif.tobytes()
    return b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload


def _jpeg_segment_kept(marker: int, payload: bytes) -> bool:
    """Every segment but the APPn and comments, and of those only JPEG_KEPT_SEGMENTS."""
    if not (0xE0 <= marker <= 0xEF or marker == 0xFE):
        return True
    kept = JPEG_KEPT_SEGMENTS.get(marker)
    return kept is not None and payload.startswith(kept)


def _jpeg_scan_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data starting at `pos` ends: at the next marker that is not
    a stuffed byte, a restart marker or a fill byte."""
    scan = pos
    while True:
        scan = data.index(b"\xff", scan)
        following = data[scan + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart
            scan += 2
        elif following == 0xFF:
            scan += 1
        else:
            return scan


def _png_without_metadata(data: bytes) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        raise ValueError("not a PNG")
    parts, pos = [signature], len(signature)
    while True:
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if len(kind) != 4 or end > len(data):
            raise ValueError("truncated chunk")
        if kind in PNG_KEPT_CHUNKS:
            parts.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            return b"".join(parts)


def _webp_without_metadata(data: bytes) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP")
    parts, pos = [], 12
    while pos < len(data):
        kind = data[pos:pos + 4]
        size = int.from_bytes(data[pos + 4:pos + 8], "little")
        end = pos + 8 + size + (size & 1)
        if len(kind) != 4 or end > len(data):
            raise ValueError("truncated chunk")
        chunk = data[pos:end]
        if kind == b"VP8X":  # the flags say which chunks follow: no EXIF (0x08), no XMP (0x04)
            chunk = chunk[:8] + bytes([chunk[8] & ~0x0C]) + chunk[9:]
        if kind not in (b"EXIF", b"XMP "):
            parts.append(chunk)
        pos = end
    body = b"WEBP" + b"".join(parts)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def image_attachment_without_metadata(upload, content_type: str) -> bytes:
    """An image attachment without the metadata its file carried (EXIF with the GPS
    position, XMP, IPTC, comments, text chunks), its pixels untouched: the segments are
    removed from the file as it is, not decoded and encoded again. A file the segment walk
    cannot follow (Pillow read it, so it is an image) is re-encoded from its pixels."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        if content_type == "image/jpeg":
            with Image.open(io.BytesIO(data)) as image:
                orientation = image.getexif().get(EXIF_ORIENTATION, 1)
            return _jpeg_without_metadata(data, orientation)
        if content_type == "image/png":
            return _png_without_metadata(data)
        return _webp_without_metadata(data)
    except (ValueError, IndexError):
        return photo_without_metadata(upload, content_type)[0]


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
