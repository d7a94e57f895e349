import re

import pytest
from django.core import mail, signing

from scoring.models import JuryMember
from scoring.services.jury import INVITATION_SALT, jury_invitation_token, jury_invite
from tests.factories import (
    EditionFactory,
    OrganiserFactory,
    ThematicAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def invite(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return jury_invite(by=OrganiserFactory(), **kwargs)


def test_organiser_invites_through_the_admin(client, django_capture_on_commit_callbacks):
    edition = EditionFactory()
    area = ThematicAreaFactory(edition=edition)
    client.force_login(OrganiserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/scoring/jurymember/add/", {
            "edition": edition.pk, "email": "expert@example.org", "first_name": "Ана",
            "last_name": "Петрова", "areas": [area.pk]})
    assert response.status_code == 302
    member = JuryMember.objects.get()
    assert (member.user.email, member.user.is_active) == ("expert@example.org", False)
    assert list(member.areas.all()) == [area]
    assert mail.outbox[0].to == ["expert@example.org"]
    assert "/jury/invitation/" in mail.outbox[0].body


def test_admin_invitation_refuses_areas_of_another_edition(client):
    client.force_login(OrganiserFactory())
    response = client.post("/admin/scoring/jurymember/add/", {
        "edition": EditionFactory().pk, "email": "x@example.org",
        "areas": [ThematicAreaFactory().pk]})
    assert response.status_code == 200
    assert "Choose areas of the chosen edition only." in response.content.decode()
    assert JuryMember.objects.count() == 0


def test_new_juror_sets_a_password_through_the_link(client, django_capture_on_commit_callbacks):
    member = invite(django_capture_on_commit_callbacks, edition=EditionFactory(),
                    email="new@example.org")
    link = re.search(r"http://127\.0\.0\.1:8000(/jury/invitation/\S+/)", mail.outbox[0].body)[1]
    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password1": "jury-pass-2027",
                                  "new_password2": "jury-pass-2027"})
    assert response.url == "/jury/"
    member.refresh_from_db()
    assert member.accepted_at is not None
    assert member.user.is_active is True
    assert member.user.check_password("jury-pass-2027")
    assert client.get("/dashboard/").url == "/jury/"


def test_existing_user_accepts_by_signing_in(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="known@example.org")
    member = invite(django_capture_on_commit_callbacks, edition=EditionFactory(),
                    email="KNOWN@example.org")
    assert member.user == user
    link = f"/jury/invitation/{jury_invitation_token(member)}/"
    response = client.get(link)
    assert response.url == f"/accounts/login/?next={link}"
    client.force_login(user)
    assert client.get(link).url == "/jury/"
    member.refresh_from_db()
    assert member.accepted_at is not None


def test_someone_else_cannot_use_an_existing_users_invitation(
        client, django_capture_on_commit_callbacks):
    UserFactory(email="known@example.org")
    member = invite(django_capture_on_commit_callbacks, edition=EditionFactory(),
                    email="known@example.org")
    client.force_login(UserFactory())
    client.get(f"/jury/invitation/{jury_invitation_token(member)}/")
    member.refresh_from_db()
    assert member.accepted_at is None


def test_tampered_invitation_link_is_404(client):
    assert client.get("/jury/invitation/not-a-token/").status_code == 404


def test_expired_invitation_link_says_so(client, settings, django_capture_on_commit_callbacks):
    member = invite(django_capture_on_commit_callbacks, edition=EditionFactory(),
                    email="late@example.org")
    token = signing.dumps({"member": member.pk}, salt=INVITATION_SALT)
    settings.JURY_INVITATION_DAYS = -1
    response = client.get(f"/jury/invitation/{token}/")
    assert response.status_code == 404
    assert "This invitation has expired" in response.content.decode()


def test_inviting_twice_keeps_one_membership(django_capture_on_commit_callbacks):
    edition = EditionFactory()
    invite(django_capture_on_commit_callbacks, edition=edition, email="a@example.org")
    invite(django_capture_on_commit_callbacks, edition=edition, email="a@example.org")
    assert JuryMember.objects.count() == 1
    assert len(mail.outbox) == 2
