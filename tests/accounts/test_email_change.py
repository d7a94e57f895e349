"""Nobody redirects another person's sign-in: an organiser may only ask for a change of
address, which the person confirms from their current address; every step is recorded."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import EmailChange, User
from accounts.services import user_email_change_request, user_email_change_token
from tests.factories import JuryMemberFactory, OfficerFactory, OrganiserFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_form(user, **fields):
    data = {"username": user.username, "first_name": user.first_name,
            "last_name": user.last_name, "email": user.email, "is_active": "on",
            "officer_status": user.officer_status, "position": "", "phone": "",
            "municipality": user.municipality_id or ""}
    data.update(fields)
    return data


def test_organiser_cannot_redirect_a_jurors_sign_in_to_their_address(
        client, django_capture_on_commit_callbacks):
    juror = JuryMemberFactory(user__email="juror@example.org").user
    organiser = OrganiserFactory(email="organiser@example.org")
    client.force_login(organiser)
    response = client.post(f"/admin/accounts/user/{juror.pk}/change/",
                           change_form(juror, email="takeover@example.org"))
    assert response.status_code == 302
    juror.refresh_from_db()
    assert juror.email == "juror@example.org"
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "takeover@example.org"})
    assert mail.outbox == []


def test_email_is_read_only_in_the_organisers_user_form(client):
    officer = OfficerFactory(email="officer@example.org")
    client.force_login(OrganiserFactory())
    form = client.get(f"/admin/accounts/user/{officer.pk}/change/").context["adminform"].form
    assert ("email" in form.fields, "new_email" in form.fields) == (False, True)


def test_organiser_asks_and_the_link_goes_to_the_old_address(
        client, django_capture_on_commit_callbacks):
    officer = OfficerFactory(email="officer@example.org")
    organiser = OrganiserFactory()
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/accounts/user/{officer.pk}/change/",
                               change_form(officer, new_email="new.officer@example.org"))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.email == "officer@example.org"
    change = EmailChange.objects.get()
    assert (change.user, change.old_email, change.new_email, change.requested_by,
            change.confirmed_at) == (officer, "officer@example.org", "new.officer@example.org",
                                     organiser, None)
    assert [message.to for message in mail.outbox] == [["officer@example.org"]]
    assert "/accounts/email/confirm/" in mail.outbox[0].body


def test_admin_refuses_an_address_of_another_account(client):
    UserFactory(email="taken@example.org")
    officer = OfficerFactory(email="officer@example.org")
    client.force_login(OrganiserFactory())
    response = client.post(f"/admin/accounts/user/{officer.pk}/change/",
                           change_form(officer, new_email="TAKEN@example.org"))
    assert response.status_code == 200
    assert "Another account has this e-mail address." in response.content.decode()
    assert EmailChange.objects.count() == 0


def test_person_confirms_the_change_from_the_old_address(
        client, django_capture_on_commit_callbacks):
    officer = OfficerFactory(email="officer@example.org")
    organiser = OrganiserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        user_email_change_request(user=officer, new_email="new.officer@example.org",
                                  by=organiser)
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/email/confirm/\S+/)",
                     mail.outbox[0].body)[1]
    response = client.get(link)
    assert response.status_code == 200
    assert "Confirm the new address" in response.content.decode()
    officer.refresh_from_db()
    assert officer.email == "officer@example.org"  # opening the link changes nothing
    assert client.post(link).url == reverse("login")
    officer.refresh_from_db()
    assert officer.email == "new.officer@example.org"
    assert client.post(link).status_code == 404  # used
    client.force_login(organiser)
    rows = client.get(reverse("organiser_audit"), {"kind": "email"}).context["rows"]
    assert [(row.action, row.who, row.subject, row.changes) for row in rows] == [
        ("confirmed", officer, officer.username,
         [("e-mail", "officer@example.org", "new.officer@example.org")]),
        ("requested", organiser, officer.username,
         [("e-mail", "officer@example.org", "new.officer@example.org")])]


def test_a_change_overtaken_by_another_is_refused(client):
    officer = OfficerFactory(email="officer@example.org")
    first = user_email_change_request(user=officer, new_email="one@example.org", by=None)
    User.objects.filter(pk=officer.pk).update(email="two@example.org")
    response = client.post(f"/accounts/email/confirm/{user_email_change_token(first)}/")
    assert response.status_code == 404
    officer.refresh_from_db()
    assert officer.email == "two@example.org"


def test_tampered_confirmation_link_is_404(client):
    assert client.get("/accounts/email/confirm/not-a-token/").status_code == 404


def test_superuser_may_still_set_an_address(client):
    officer = OfficerFactory(email="officer@example.org")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.post(f"/admin/accounts/user/{officer.pk}/change/",
                change_form(officer, email="fixed@example.org", date_joined_0="2026-01-05",
                            date_joined_1="09:00:00"))
    officer.refresh_from_db()
    assert officer.email == "fixed@example.org"
