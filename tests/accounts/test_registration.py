import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import OfficerStatus
from accounts.models import User
from tests.factories import (
    JuryMemberFactory,
    MunicipalityFactory,
    OfficerFactory,
    OrganiserFactory,
    UserFactory,
    privacy_consent,
)

pytestmark = pytest.mark.django_db


def registration(municipality, **overrides):
    data = {"username": "new.officer", "first_name": "Мая", "last_name": "Иванова",
            "email": "maya@tundzha.example.org", "municipality": municipality.pk,
            "position": "експерт", "phone": "", "password1": "a-long-pass-2016!",
            "password2": "a-long-pass-2016!", **privacy_consent()}
    data.update(overrides)
    return data


def test_registration_creates_a_pending_officer_and_tells_organisers(
        client, django_capture_on_commit_callbacks):
    OrganiserFactory(email="org@example.org")
    municipality = MunicipalityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/register/", registration(municipality))
    assert response.status_code == 302
    user = User.objects.get(username="new.officer")
    assert (user.municipality, user.officer_status) == (municipality, OfficerStatus.PENDING)
    assert user.is_approved_officer is False
    assert [m.to for m in mail.outbox] == [["org@example.org"]]
    page = client.get("/officer/")
    assert page.status_code == 200
    assert "waiting for an organiser's approval" in page.content.decode()


def test_registration_refuses_a_known_email_and_saves_nothing(client):
    UserFactory(email="Maya@Tundzha.example.org")
    response = client.post("/accounts/register/", registration(MunicipalityFactory()))
    assert response.status_code == 200
    assert "An account with this e-mail address already exists." in response.content.decode()
    assert not User.objects.filter(username="new.officer").exists()


def test_registration_refuses_a_weak_password(client):
    response = client.post("/accounts/register/", registration(
        MunicipalityFactory(), password1="12345678", password2="12345678"))
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(username="new.officer").exists()


def test_organiser_approves_a_pending_officer(client, django_capture_on_commit_callbacks):
    officer = OfficerFactory(officer_status=OfficerStatus.PENDING)
    organiser = OrganiserFactory()
    client.force_login(organiser)
    assert officer.email in client.get("/organiser/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/accounts/officers/{officer.pk}/approve/")
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.officer_status == OfficerStatus.APPROVED
    assert officer.officer_decided_by == organiser
    assert mail.outbox[-1].to == [officer.email]
    assert mail.outbox[-1].subject == "Your officer account is approved"


def test_organiser_rejects_a_pending_officer(client):
    officer = OfficerFactory(officer_status=OfficerStatus.PENDING)
    client.force_login(OrganiserFactory())
    client.post(f"/accounts/officers/{officer.pk}/reject/")
    officer.refresh_from_db()
    assert officer.officer_status == OfficerStatus.REJECTED


@pytest.mark.parametrize("role", ["anonymous", "officer", "juror", "pending"])
def test_only_organisers_approve_officers(client, role):
    pending = OfficerFactory(officer_status=OfficerStatus.PENDING)
    if role == "officer":
        client.force_login(OfficerFactory(municipality=pending.municipality))
    elif role == "juror":
        client.force_login(JuryMemberFactory().user)
    elif role == "pending":
        client.force_login(pending)
    response = client.post(f"/accounts/officers/{pending.pk}/approve/")
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.officer_status == OfficerStatus.PENDING


def test_approval_needs_post(client):
    pending = OfficerFactory(officer_status=OfficerStatus.PENDING)
    client.force_login(OrganiserFactory())
    assert client.get(f"/accounts/officers/{pending.pk}/approve/").status_code == 405


def test_no_email_leaves_before_the_registration_commits(
        client, django_capture_on_commit_callbacks):
    OrganiserFactory(email="org@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post("/accounts/register/", registration(MunicipalityFactory()))
    # the e-mail is queued for after the commit, not sent inside it
    assert [c.__qualname__ for c in callbacks].count("_queue_one.<locals>.send") == 1
    assert mail.outbox == []


@pytest.mark.parametrize("status", [OfficerStatus.APPROVED, OfficerStatus.REJECTED,
                                    OfficerStatus.NONE])
def test_only_pending_requests_can_be_decided(client, status):
    officer = OfficerFactory(officer_status=status)
    client.force_login(OrganiserFactory())
    assert client.post(f"/accounts/officers/{officer.pk}/reject/").status_code == 404
    officer.refresh_from_db()
    assert officer.officer_status == status


def _municipality_options(content: str) -> list[str]:
    select = re.search(r'<select[^>]*name="municipality".*?</select>', content, re.S).group(0)
    return [label.strip() for value, label in
            re.findall(r'<option value="(\d+)"[^>]*>(.*?)</option>', select, re.S)]


def _three_municipalities():
    # The orders differ: Велико Търново comes before Шумен in Bulgarian, after Shumen in
    # English; the regions (Bulgarian order Бургас < Шумен) must not decide.
    MunicipalityFactory(name="Шумен", name_en="Shumen", region="Шумен", region_en="Shumen")
    MunicipalityFactory(name="Велико Търново", name_en="Veliko Tarnovo", region="Шумен",
                        region_en="Shumen")
    MunicipalityFactory(name="Бургас", name_en="Burgas", region="Шумен", region_en="Shumen")


def test_registration_lists_municipalities_in_english_order(client):
    _three_municipalities()
    content = client.get(reverse("register"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _municipality_options(content) == [
        "Burgas (Shumen)", "Shumen (Shumen)", "Veliko Tarnovo (Shumen)"]


def test_registration_lists_municipalities_in_bulgarian_order(client):
    _three_municipalities()
    content = client.get(reverse("register"), HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert _municipality_options(content) == [
        "Бургас (Шумен)", "Велико Търново (Шумен)", "Шумен (Шумен)"]


def test_registration_municipality_select_has_a_type_ahead(client):
    MunicipalityFactory()
    content = client.get(reverse("register")).content.decode()
    select = re.search(r'<select[^>]*name="municipality"[^>]*>', content).group(0)
    assert "data-typeahead" in select
    assert 'src="/static/accounts/municipality-picker.js"' in content
