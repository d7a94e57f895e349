"""A NUL character in a URL is a 400 page everywhere, before any query sees it: PostgreSQL
refuses NUL in text, and the admin's list search and filters reach queries unvalidated."""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

pytestmark = pytest.mark.django_db


def changelists() -> list[tuple[str, list[str]]]:
    """Every registered admin list, with its text fields (to filter on)."""
    lists = []
    for model in admin.site._registry:
        text_fields = [field.name for field in model._meta.concrete_fields
                       if isinstance(field, models.CharField | models.TextField)]
        lists.append((reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
                      text_fields))
    return sorted(lists)


@pytest.mark.parametrize(("url", "text_fields"), changelists(), ids=lambda value: str(value))
def test_admin_list_with_a_nul_in_its_search_or_filters_is_a_bad_request(
        admin_client, url, text_fields):
    assert admin_client.get(url).status_code == 200
    asked = [f"{url}?q=%00", f"{url}?q=a%00b", f"{url}?%00=1"]
    asked += [f"{url}?{name}__exact=%00" for name in text_fields]
    asked += [f"{url}?{name}__icontains=x%00" for name in text_fields]
    assert {query: admin_client.get(query).status_code for query in asked} == {
        query: 400 for query in asked}


def test_public_pages_with_a_nul_in_the_url_are_a_bad_request(client):
    for url in ("/showcase/?q=%00", "/showcase/?municipality=%00", "/showcase/a%00b/",
                "/api/v1/practices/?search=%00", "/accounts/login/?next=/%00"):
        response = client.get(url)
        assert (url, response.status_code) == (url, 400)
    page = client.get("/showcase/?q=%00").content.decode()
    assert "The address of this page holds characters no page here accepts." in page


def test_a_nul_in_a_form_field_stays_a_form_error(client):
    """Form data is not refused wholesale: the field says what is wrong."""
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
