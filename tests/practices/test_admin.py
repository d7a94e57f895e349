"""The practice admin goes around no upload check: photos and attachments are added only
through `photo_add` / `attachment_add` (pixel budget before decoding, metadata stripped,
content sniffed), so the admin shows them and offers no file field."""

import pytest

from tests.factories import OrganiserFactory
from tests.practices.factories_practices import AttachmentFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def test_practice_admin_shows_photos_and_attachments_without_a_file_field(client):
    photo = PhotoFactory(caption="Площадът след ремонта")
    AttachmentFactory(practice=photo.practice, title="Отчет за 2016")
    client.force_login(OrganiserFactory())
    response = client.get(f"/admin/practices/practice/{photo.practice_id}/change/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Площадът след ремонта" in page
    assert "Отчет за 2016" in page
    assert 'type="file"' not in page
    assert 'name="photos-0-image"' not in page
    assert 'name="attachments-0-file"' not in page
