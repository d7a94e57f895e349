"""Reading back what the portal printed: a PDF's text (pypdf) and its QR codes (zxing-cpp,
decoding the QR image embedded in the page)."""

from __future__ import annotations

import io

import pypdf
import zxingcpp
from PIL import Image


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(content: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


def pdf_qr_codes(content: bytes) -> list[str]:
    """The text of every QR code printed in the PDF, page by page."""
    found = []
    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            found += [result.text for result in zxingcpp.read_barcodes(picture)]
    return found
