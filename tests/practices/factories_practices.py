"""Factories and file makers for the practices tests."""

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from practices.models import Attachment, Photo
from tests.factories import PracticeFactory


class CompletePracticeFactory(PracticeFactory):
    """Every section an entry needs before it can be submitted."""

    problem = "Проблемът."
    actions = "Какво беше направено."
    results = "Резултати и числа."
    contact_name = "Мария Иванова"
    contact_email = "maria@example.org"


def png_bytes(width: int = 8, height: int = 6, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color=0 if mode == "1" else (200, 30, 30)).save(
        buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 120, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    practice = factory.SubFactory(CompletePracticeFactory)
    image = factory.LazyFunction(lambda: upload("photo.png", png_bytes(), "image/png"))
    caption = "Снимка"
    alt_text = "The renovated square with new benches"
    size = 100


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    practice = factory.SubFactory(CompletePracticeFactory)
    file = factory.LazyFunction(lambda: upload("report.pdf", pdf_bytes(), "application/pdf"))
    original_name = "report.pdf"
    content_type = "application/pdf"
    size = 100
