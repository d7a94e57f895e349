import io
import zipfile

import pytest
from django.urls import reverse

from .pdfs import pdf_pages, pdf_qr_codes, pdf_text

pytestmark = pytest.mark.django_db


def test_officer_downloads_the_certificate_of_their_place_in_both_languages(giveback, client):
    client.force_login(giveback.officer)
    response = client.get(reverse("giveback:certificate", args=[giveback.entry.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content) == 2  # the edition's language, then English
    text = pdf_text(response.content)
    for expected in ("Сертификат", "Издание 2026", "Тунджа", "С Тунджа в сърцето",
                     "2 място в тематична област I. Гражданско участие", "Иван Петров",
                     "Председател на журито",
                     "Certificate", "Edition 2026", "Tundzha", "With Tundzha at Heart",
                     "Place 2 in the thematic area I. Civic participation", "Ivan Petrov",
                     "Chair of the jury"):
        assert expected in text, expected
    public = f"https://portal.example.org/practices/{giveback.entry.practice_id}/"
    assert public in text.replace("\n", "")
    assert pdf_qr_codes(response.content) == [public, public]


def test_certificate_address_is_the_public_result_of_the_practice(giveback, client):
    public = client.get(reverse("showcase:practice", args=[giveback.entry.practice_id]))
    assert public.status_code == 200
    assert "With Tundzha at Heart" in public.content.decode()


def test_an_entry_without_a_place_has_no_certificate(giveback, client):
    entry = giveback.entries[2]
    client.force_login(giveback.organiser)
    assert client.get(reverse("giveback:certificate", args=[entry.pk])).status_code == 404


@pytest.mark.parametrize("who", ["other_officer", "juror"])
def test_certificate_of_another_municipality_is_404(giveback, client, who):
    client.force_login(getattr(giveback, who))
    response = client.get(reverse("giveback:certificate", args=[giveback.entry.pk]))
    assert response.status_code == 404


def test_certificate_of_an_unpublished_edition_is_404_but_for_organisers(giveback, client):
    giveback.run.is_published = False
    giveback.run.save(update_fields=["is_published"])
    url = reverse("giveback:certificate", args=[giveback.entry.pk])
    client.force_login(giveback.officer)
    assert client.get(url).status_code == 404
    client.force_login(giveback.organiser)
    assert client.get(url).status_code == 200


def test_organisers_download_every_certificate_as_one_zip(giveback, client):
    client.force_login(giveback.organiser)
    response = client.get(reverse("giveback:certificates_zip", args=[giveback.edition.slug]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert names == [
        f"certificate-giveback-edition-I-1-entry-{giveback.entries[0].pk}.pdf",
        f"certificate-giveback-edition-I-2-entry-{giveback.entry.pk}.pdf"]
    assert "OTHER-ENTRY-1" in pdf_text(archive.read(names[0]))
    assert "With Tundzha at Heart" in pdf_text(archive.read(names[1]))


@pytest.mark.parametrize("who", ["officer", "juror"])
def test_the_certificates_zip_is_the_organisers(giveback, client, who):
    client.force_login(getattr(giveback, who))
    response = client.get(reverse("giveback:certificates_zip", args=[giveback.edition.slug]))
    assert response.status_code == 403
