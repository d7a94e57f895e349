"""What the programme gives back, downloaded in a real browser after `load_demo`: the
booklet from the edition's public page, the organiser's certificates ZIP, and the Tundzha
officer's feedback report (page and PDF) and certificate from the dashboard."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import DEMO_PASSWORD, sign_in
from tests.browser.test_demo_journeys import demo  # noqa: F401 - the fixture
from tests.giveback.pdfs import pdf_qr_codes, pdf_text

pytestmark = pytest.mark.usefixtures("demo")

SLUG = "bg-2016-2017"
FACTS = json.loads((Path(__file__).resolve().parents[2] / "portal" / "demo_data"
                    / "edition-bg-2016.json").read_text(encoding="utf-8"))


def _download(page, click) -> bytes:
    with page.expect_download() as info:
        click()
    return Path(info.value.path()).read_bytes()


def test_visitor_downloads_the_booklet_with_the_six_winners(page, live_server):
    page.goto(f"{live_server.url}/showcase/{SLUG}/")
    content = _download(page, lambda: page.locator("#booklet-en").click())
    text = " ".join(pdf_text(content).split())
    for winner in FACTS["winners"]:
        assert winner["title_en"] in text, winner["title_en"]


def test_organiser_downloads_every_certificate_as_a_zip(page, live_server):
    sign_in(page, live_server, "organiser", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/organiser/editions/{SLUG}/")
    page.get_by_role("link", name="Feedback, certificates and booklet").click()
    content = _download(page, lambda: page.locator("#certificates-zip").click())
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert len(archive.namelist()) == 6
    texts = " ".join(" ".join(pdf_text(archive.read(name)).split())
                     for name in archive.namelist())
    for winner in FACTS["winners"]:
        assert winner["municipality_bg"] in texts and winner["municipality_en"] in texts


def test_officer_reads_and_downloads_the_feedback_report_and_the_certificate(
        page, live_server):
    sign_in(page, live_server, "officer", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/officer/")
    placed = page.locator("[data-result=place]").first
    certificate = _download(page, lambda: placed.locator("[data-certificate-link]").click())
    codes = pdf_qr_codes(certificate)
    assert len(codes) == 2 and codes[0] == codes[1]
    assert codes[0].endswith("/practices/" + codes[0].rstrip("/").rsplit("/", 1)[1] + "/")
    assert "With Tundzha at Heart" in " ".join(pdf_text(certificate).split())
    placed.locator("[data-feedback-link]").click()
    page.get_by_role("heading", name="Feedback report").wait_for()
    assert "Place 1" in page.locator("[data-standing]").inner_text()
    assert page.get_by_role("heading", name="The jury's overall feedback").is_visible()
    report = _download(page, lambda: page.get_by_role("link", name="Download as PDF").click())
    text = " ".join(pdf_text(report).split())
    assert "Feedback report" in text and "With Tundzha at Heart" in text
    assert "Place 1" in text
