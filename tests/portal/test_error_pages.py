"""The 403 and 404 pages lead somewhere: the person's own dashboard when signed in, and the
home page, in the page's language."""

import pytest

from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def _links(content: str) -> str:
    start = content.index("<p class=\"d-flex gap-2 flex-wrap mt-3\" data-error-links>")
    return content[start:content.index("</p>", start) + 4]


def test_403_page_leads_a_signed_in_person_to_their_dashboard_and_home(client):
    client.force_login(OfficerFactory())
    response = client.get("/jury/")
    assert response.status_code == 403
    assert _links(response.content.decode()) == (
        '<p class="d-flex gap-2 flex-wrap mt-3" data-error-links>'
        '<a class="btn btn-primary" href="/dashboard/">Go to your dashboard</a>'
        '<a class="btn btn-outline-secondary" href="/">Go to the home page</a></p>')


def test_404_page_leads_a_signed_in_person_to_their_dashboard_in_bulgarian(client):
    client.force_login(OfficerFactory())
    client.cookies["django_language"] = "bg"
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="bg")
    assert response.status_code == 404
    assert _links(response.content.decode()) == (
        '<p class="d-flex gap-2 flex-wrap mt-3" data-error-links>'
        '<a class="btn btn-primary" href="/dashboard/">Към вашето табло</a>'
        '<a class="btn btn-outline-secondary" href="/">Към началната страница</a></p>')


def test_404_page_leads_a_visitor_home_only(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert _links(response.content.decode()) == (
        '<p class="d-flex gap-2 flex-wrap mt-3" data-error-links>'
        '<a class="btn btn-outline-secondary" href="/">Go to the home page</a></p>')
