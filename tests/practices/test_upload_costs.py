"""What an upload may cost the server: an image's pixels are counted on its header before
anything is decoded, within a budget that is a setting and that the form states, and an
officer's uploads are throttled."""

import pytest
from django.urls import reverse
from PIL import Image, ImageFile, PngImagePlugin

from practices.models import Attachment, Photo
from tests.factories import OfficerFactory

from .factories_practices import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

TOO_MANY = "The image is too large in pixels (at most 24 million allowed)."


@pytest.fixture(scope="module")
def just_over_budget() -> bytes:
    """5,000 x 5,000 pixels: 25 megapixels in a few kilobytes, under Pillow's own limits."""
    return png_bytes(5_000, 5_000, mode="1")


@pytest.fixture
def decoded(monkeypatch) -> list:
    """Every decoding (Pillow's load) and verification, recorded instead of done."""
    calls: list = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: calls.append("load"))
    monkeypatch.setattr(Image.Image, "load", lambda image: calls.append("load"))
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "verify",
                        lambda image: calls.append("verify"))
    return calls


@pytest.mark.parametrize(("url", "field"), [("practice_photo_add", "image"),
                                            ("practice_attachment_add", "file")])
def test_upload_over_the_pixel_budget_is_refused_before_decoding(
        client, officer, practice, just_over_budget, decoded, url, field):
    client.force_login(officer)
    response = client.post(reverse(url, args=[practice.pk]),
                           {field: upload("plan.png", just_over_budget)})
    assert (response.status_code, response.context["form"].errors[field]) == (400, [TOO_MANY])
    assert decoded == []
    assert (Photo.objects.count(), Attachment.objects.count()) == (0, 0)


def test_pixel_budget_is_a_setting_stated_by_the_forms(client, officer, practice, settings):
    settings.PRACTICE_PHOTO_MAX_PIXELS = 12_000_000
    client.force_login(officer)
    photo = client.get(reverse("practice_photo_add", args=[practice.pk])).content.decode()
    attachment = client.get(
        reverse("practice_attachment_add", args=[practice.pk])).content.decode()
    assert "JPEG, PNG or WebP, at most 12 megapixels." in photo
    assert "or images of at most 12 megapixels." in attachment
    response = client.post(reverse("practice_photo_add", args=[practice.pk]),
                           {"image": upload("wide.png", png_bytes(4_000, 3_001, mode="1"))})
    assert response.context["form"].errors["image"] == [
        "The image is too large in pixels (at most 12 million allowed)."]


def test_default_pixel_budget_fits_a_showcase(settings):
    assert settings.PRACTICE_PHOTO_MAX_PIXELS == 24_000_000


def test_uploads_are_throttled_per_officer(client, officer, practice, settings):
    settings.THROTTLE_UPLOADS_PER_OFFICER = "3/h"
    client.force_login(officer)
    photo = reverse("practice_photo_add", args=[practice.pk])
    attachment = reverse("practice_attachment_add", args=[practice.pk])
    answers = [client.post(photo, {"image": upload("a.png", png_bytes())}).status_code,
               client.post(attachment, {"file": upload("a.pdf", pdf_bytes())}).status_code,
               client.post(photo, {"image": upload("a.pdf", pdf_bytes())}).status_code,
               client.post(photo, {"image": upload("b.png", png_bytes())}).status_code,
               client.post(attachment, {"file": upload("b.pdf", pdf_bytes())}).status_code]
    assert answers == [302, 302, 400, 429, 429]
    assert "You uploaded too many files in a short time." in client.post(
        photo, {"image": upload("c.png", png_bytes())}).content.decode()
    assert (Photo.objects.count(), Attachment.objects.count()) == (1, 1)
    # another officer of the same municipality, from the same address, has a count of their own
    client.force_login(OfficerFactory(municipality=officer.municipality))
    assert client.post(photo, {"image": upload("d.png", png_bytes())}).status_code == 302
