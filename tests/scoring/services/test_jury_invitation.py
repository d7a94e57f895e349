import re

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.privacy import privacy_notice_current
from scoring.models import JuryMember
from scoring.services.jury import (
    INVITATION_SALT,
    InvitationError,
    jury_invitation_accept,
    jury_invitation_token,
    jury_invite,
)
from tests.factories import (
    EditionFactory,
    OrganiserFactory,
    ThematicAreaFactory,
    UserFactory,
    privacy_consent,
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
    assert (member.user.email, member.user.has_usable_password()) == ("expert@example.org",
                                                                        False)
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
                                  "new_password2": "jury-pass-2027",
                                  "juror-declaration": "on", **privacy_consent()})
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
    assert client.post(link, {"juror-declaration": "on", **privacy_consent()}).url == "/jury/"
    member.refresh_from_db()
    assert member.accepted_at is not None


def test_someone_else_cannot_use_an_existing_users_invitation(
        client, django_capture_on_commit_callbacks):
    UserFactory(email="known@example.org")
    member = invite(django_capture_on_commit_callbacks, edition=EditionFactory(),
                    email="known@example.org")
    client.force_login(UserFactory())
    client.post(f"/jury/invitation/{jury_invitation_token(member)}/")
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


def test_opening_an_invitation_link_signed_in_does_not_accept_it(client,
                                                              django_capture_on_commit_callbacks):
    user = UserFactory(email="known@example.org")
    member = invite(django_capture_on_commit_callbacks, edition=EditionFactory(),
                    email="known@example.org")
    link = f"/jury/invitation/{jury_invitation_token(member)}/"
    client.force_login(user)
    response = client.get(link)
    assert response.status_code == 200
    assert "Accept the invitation" in response.content.decode()
    member.refresh_from_db()
    assert member.accepted_at is None


def test_deactivated_invitee_cannot_use_the_old_link(client, django_capture_on_commit_callbacks):
    member = invite(django_capture_on_commit_callbacks, edition=EditionFactory(),
                    email="removed@example.org")
    User.objects.filter(pk=member.user_id).update(is_active=False)  # the organiser deactivates
    link = f"/jury/invitation/{jury_invitation_token(member)}/"
    assert client.get(link).status_code == 404
    response = client.post(link, {"new_password1": "jury-pass-2027",
                                  "new_password2": "jury-pass-2027",
                                  "juror-declaration": "on", **privacy_consent()})
    assert response.status_code == 404
    user = User.objects.get(pk=member.user_id)
    assert (user.is_active, user.has_usable_password()) == (False, False)
    member.refresh_from_db()
    assert member.accepted_at is None


def test_accepting_never_reactivates_a_deactivated_account(django_capture_on_commit_callbacks):
    member = invite(django_capture_on_commit_callbacks, edition=EditionFactory(),
                    email="removed@example.org")
    User.objects.filter(pk=member.user_id).update(is_active=False)
    with pytest.raises(InvitationError):
        jury_invitation_accept(member=member, password="jury-pass-2027",
                               declaration_version="v1", notice=privacy_notice_current())
    assert User.objects.get(pk=member.user_id).is_active is False


def test_deactivated_account_cannot_be_invited_again(client, django_capture_on_commit_callbacks):
    UserFactory(email="removed@example.org", is_active=False)
    edition = EditionFactory()
    with pytest.raises(ValidationError):
        invite(django_capture_on_commit_callbacks, edition=edition, email="removed@example.org")
    client.force_login(OrganiserFactory())
    response = client.post("/admin/scoring/jurymember/add/", {
        "edition": edition.pk, "email": "removed@example.org"})
    assert response.status_code == 200
    assert "This account is deactivated: it cannot be invited." in response.content.decode()
    assert JuryMember.objects.count() == 0


def test_a_set_password_link_sets_it_only_once(client, django_capture_on_commit_callbacks):
    member = invite(django_capture_on_commit_callbacks, edition=EditionFactory(),
                    email="new@example.org")
    jury_invitation_accept(member=member, password="first-pass-2027",
                               declaration_version="v1", notice=privacy_notice_current())
    with pytest.raises(InvitationError):
        jury_invitation_accept(member=member, password="second-pass-2027",
                               declaration_version="v1", notice=privacy_notice_current())
    assert User.objects.get(pk=member.user_id).check_password("first-pass-2027") is True


@pytest.mark.parametrize("url", ["/admin/scoring/jurymember/add/", "jury page"])
@pytest.mark.parametrize("field,value,error", [
    ("email", "a" * 250 + "@example.org",
     "Ensure this value has at most 254 characters (it has 262)."),
    ("first_name", "Я" * 151, "Ensure this value has at most 150 characters (it has 151)."),
    ("last_name", "Я" * 151, "Ensure this value has at most 150 characters (it has 151)."),
])
def test_invitation_forms_refuse_what_an_account_cannot_hold(client, url, field, value, error):
    edition = EditionFactory()
    if url == "jury page":
        url = f"/organiser/jury/{edition.slug}/"
    client.force_login(OrganiserFactory())
    data = {"edition": edition.pk, "email": "expert@example.org", field: value}
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    assert error in response.content.decode()
    assert (User.objects.filter(is_staff=False).count(), JuryMember.objects.count()) == (0, 0)


def test_invitation_tells_the_user_name_and_the_juror_signs_in_with_the_address(
        client, django_capture_on_commit_callbacks):
    """The e-mail and the set-password page say the user name made for the juror; they sign
    in later with the invited address (or that name)."""
    invite(django_capture_on_commit_callbacks, edition=EditionFactory(),
           email="Expert.Ana@example.org")
    body = mail.outbox[0].body
    assert ("Sign in with your e-mail address (Expert.Ana@example.org) or your user name: "
            "Expert.Ana") in body
    link = re.search(r"http://127\.0\.0\.1:8000(/jury/invitation/\S+/)", body)[1]
    page = client.get(link).content.decode()
    assert ("You will sign in with your e-mail address (Expert.Ana@example.org) or your user "
            "name: <strong>Expert.Ana</strong>.") in page
    client.post(link, {"new_password1": "jury-pass-2027", "new_password2": "jury-pass-2027",
                                  "juror-declaration": "on", **privacy_consent()})
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "expert.ana@example.org",
                                                 "password": "jury-pass-2027"})
    assert (response.status_code, response.url) == (302, "/dashboard/")
    assert client.get("/dashboard/").url == "/jury/"
