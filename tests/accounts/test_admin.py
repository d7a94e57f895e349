"""What an organiser (staff, not superuser) may do with accounts in the admin."""

import pytest
from django.core.exceptions import ValidationError

from accounts.enums import OfficerStatus
from accounts.services import officer_decide
from tests.factories import OfficerFactory, OrganiserFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_form(user, **fields):
    data = {"username": user.username, "first_name": user.first_name,
            "last_name": user.last_name, "email": user.email, "is_active": "on",
            "officer_status": user.officer_status, "position": "", "phone": ""}
    data.update(fields)
    return data


def test_organiser_cannot_make_themselves_superuser(client):
    organiser = OrganiserFactory()
    client.force_login(organiser)
    response = client.post(f"/admin/accounts/user/{organiser.pk}/change/",
                           change_form(organiser, is_superuser="on", is_staff="on"))
    assert response.status_code == 302
    organiser.refresh_from_db()
    assert organiser.is_superuser is False


def test_organiser_cannot_make_an_officer_staff(client):
    officer = OfficerFactory()
    client.force_login(OrganiserFactory())
    client.post(f"/admin/accounts/user/{officer.pk}/change/",
                change_form(officer, is_staff="on", municipality=officer.municipality_id))
    officer.refresh_from_db()
    assert officer.is_staff is False


def test_organiser_cannot_set_someone_elses_password(client):
    juror = UserFactory()
    client.force_login(OrganiserFactory())
    response = client.post(f"/admin/accounts/user/{juror.pk}/password/",
                           {"password1": "taken-over-2027", "password2": "taken-over-2027"})
    assert response.status_code == 403
    juror.refresh_from_db()
    assert juror.check_password("taken-over-2027") is False


def test_organiser_cannot_change_another_organisers_account(client):
    other = OrganiserFactory()
    client.force_login(OrganiserFactory())
    response = client.post(f"/admin/accounts/user/{other.pk}/change/",
                           change_form(other, is_active=""))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.is_active is True


def test_organiser_approves_officers_from_the_admin(client):
    pending = OfficerFactory(officer_status=OfficerStatus.PENDING)
    client.force_login(OrganiserFactory())
    client.post("/admin/accounts/user/", {"action": "approve_officers",
                                          "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.officer_status == OfficerStatus.APPROVED


@pytest.mark.parametrize("decided", [OfficerStatus.APPROVED, OfficerStatus.REJECTED])
@pytest.mark.parametrize("approve", [True, False])
def test_officer_decision_is_final(decided, approve):
    officer = OfficerFactory(officer_status=decided)
    with pytest.raises(ValidationError) as refused:
        officer_decide(officer=officer, by=OrganiserFactory(), approve=approve)
    assert refused.value.messages == ["This request was already decided."]
    officer.refresh_from_db()
    assert officer.officer_status == decided


@pytest.mark.parametrize(("count", "language", "said"), [
    (1, "en", "1 request decided."), (2, "en", "2 requests decided."),
    (1, "bg", "1 решена заявка."), (2, "bg", "2 решени заявки.")])
def test_admin_approval_says_how_many_in_plural_forms(client, count, language, said):
    pending = OfficerFactory.create_batch(count, officer_status=OfficerStatus.PENDING)
    client.force_login(OrganiserFactory())
    client.cookies["django_language"] = language
    response = client.post("/admin/accounts/user/", {
        "action": "approve_officers", "_selected_action": [o.pk for o in pending]},
        follow=True)
    assert [str(message) for message in response.context["messages"]] == [said]
