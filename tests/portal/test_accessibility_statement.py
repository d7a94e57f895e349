"""The accessibility statement (issue 17): the EU model's sections, in both languages, the
contact address from the settings, and a link to it in the footer of every page."""

import re

import pytest

from tests.factories import OfficerFactory, OrganiserFactory

pytestmark = pytest.mark.django_db

SECTIONS = {
    "en": ["Accessibility statement", "Compliance status", "Non-accessible content",
           "Preparation of this accessibility statement", "Feedback and contact information",
           "Enforcement procedure"],
    "bg": ["Декларация за достъпност", "Състояние на съответствието", "Недостъпно съдържание",
           "Изготвяне на декларацията за достъпност", "Обратна връзка и данни за контакт",
           "Процедура по прилагане"],
}


def headings(body: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip()
            for h in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", body, re.S)]


@pytest.mark.parametrize("language", ["en", "bg"])
def test_statement_has_every_section_of_the_eu_model(client, language,
                                                     django_assert_max_num_queries):
    client.cookies["django_language"] = language
    with django_assert_max_num_queries(2):
        response = client.get("/accessibility/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert headings(body)[-len(SECTIONS[language]):] == SECTIONS[language]
    assert "2016/2102" in body
    assert "EN 301 549" in body
    assert "WCAG" in body and "axe-core" in body


def test_statement_says_partially_conformant_and_when_it_was_prepared(client):
    body = client.get("/accessibility/").content.decode()
    assert 'data-conformance="partial"' in body
    assert "partially conformant with the Web Content Accessibility Guidelines (WCAG) 2.1" in body
    assert "This statement was prepared on 29 November 2026." in body


def test_statement_names_the_contact_address_of_the_settings(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "dostapnost@example.bg"
    body = client.get("/accessibility/").content.decode()
    assert ('<a href="mailto:dostapnost@example.bg" data-contact-email>dostapnost@example.bg</a>'
            in body)


def test_statement_is_read_only(client):
    assert client.post("/accessibility/").status_code == 405


FOOTER_LINK = '<a href="/accessibility/" class="ms-2" data-footer-link="accessibility">'


@pytest.mark.parametrize("path", ["/", "/showcase/", "/accounts/login/", "/accounts/register/",
                                  "/accessibility/", "/no-such-page/"])
def test_every_public_page_links_the_statement_in_its_footer(client, path):
    body = client.get(path).content.decode()
    footer = body[body.index("<footer"):]
    assert FOOTER_LINK in footer


@pytest.mark.parametrize("make_user, path", [
    (lambda: OfficerFactory(), "/officer/"),
    (lambda: OrganiserFactory(), "/organiser/"),
])
def test_signed_in_pages_link_the_statement_in_their_footer(client, make_user, path):
    client.force_login(make_user())
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert FOOTER_LINK in body[body.index("<footer"):]


def test_footer_link_reads_in_bulgarian(client):
    client.cookies["django_language"] = "bg"
    body = client.get("/").content.decode()
    assert f"{FOOTER_LINK}Достъпност</a>" in body


def test_every_page_starts_with_a_skip_link_to_the_main_landmark(client):
    body = client.get("/").content.decode()
    first_link = re.search(r"<a [^>]*>", body[body.index("<body"):]).group(0)
    assert 'href="#main"' in first_link and "skip-link" in first_link
    assert '<main id="main"' in body and "<header>" in body and "<footer" in body
