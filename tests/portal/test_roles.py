import pytest

from accounts.enums import OfficerStatus
from accounts.rules import is_officer, is_officer_of, is_organiser
from portal.roles import dashboards_for
from scoring.rules import is_juror
from tests.factories import (
    JuryMemberFactory,
    MunicipalityFactory,
    OfficerFactory,
    OrganiserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_role_predicates_for_each_kind_of_person():
    from django.contrib.auth.models import AnonymousUser

    municipality = MunicipalityFactory()
    officer = OfficerFactory(municipality=municipality)
    pending = OfficerFactory(municipality=municipality, officer_status=OfficerStatus.PENDING)
    juror = JuryMemberFactory().user
    invited = JuryMemberFactory(accepted_at=None).user
    organiser = OrganiserFactory()
    anonymous = AnonymousUser()
    assert [is_organiser(u) for u in (anonymous, officer, juror, organiser)] == [
        False, False, False, True]
    assert [is_officer(u) for u in (anonymous, officer, pending, juror)] == [
        False, True, False, False]
    assert is_officer_of(officer, municipality) is True
    assert is_officer_of(officer, MunicipalityFactory()) is False
    assert is_officer_of(pending, municipality) is False
    assert [is_juror(u) for u in (anonymous, juror, invited, officer)] == [
        False, True, False, False]


def test_inactive_staff_is_not_an_organiser():
    assert is_organiser(OrganiserFactory(is_active=False)) is False


@pytest.mark.parametrize(("make", "expected"), [
    (lambda: OrganiserFactory(), "/organiser/"),
    (lambda: OfficerFactory(), "/officer/"),
    (lambda: OfficerFactory(officer_status=OfficerStatus.PENDING), "/officer/"),
    (lambda: JuryMemberFactory().user, "/jury/"),
])
def test_dashboard_sends_each_role_to_its_own(client, make, expected):
    client.force_login(make())
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.url == expected


def test_dashboard_without_a_role_explains_what_to_do(client):
    client.force_login(UserFactory())
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "has no role in the competition yet" in response.content.decode()


def test_dashboard_needs_sign_in(client):
    assert client.get("/dashboard/").url == "/accounts/login/?next=/dashboard/"


def test_navigation_shows_every_dashboard_of_a_person_with_two_roles(client):
    organiser = OrganiserFactory()
    JuryMemberFactory(user=organiser)
    assert [d.role for d in dashboards_for(organiser)] == ["organiser", "juror"]
    client.force_login(organiser)
    page = client.get("/").content.decode()
    assert 'data-role="organiser" href="/organiser/"' in page
    assert 'data-role="juror" href="/jury/"' in page


@pytest.mark.parametrize(("url", "allowed"), [
    ("/organiser/", "organiser"), ("/officer/", "officer"), ("/jury/", "juror")])
@pytest.mark.parametrize("role", ["anonymous", "officer", "juror", "organiser", "nobody"])
def test_each_dashboard_is_closed_to_other_roles(client, url, allowed, role):
    people = {"officer": OfficerFactory, "organiser": OrganiserFactory,
              "juror": lambda: JuryMemberFactory().user, "nobody": UserFactory}
    if role == "anonymous":
        assert client.get(url).url == f"/accounts/login/?next={url}"
        return
    client.force_login(people[role]())
    expected = 200 if role == allowed else 403
    assert client.get(url).status_code == expected


def test_officer_dashboard_queries_do_not_grow_with_practices(client, django_assert_num_queries):
    from tests.factories import EntryFactory, PracticeFactory

    officer = OfficerFactory()
    client.force_login(officer)
    EntryFactory(practice=PracticeFactory(municipality=officer.municipality))
    # 10: seven as before, two for the published results (the public editions, their
    # results), one for the editions whose deadline is near (sign in early), however many
    # entries
    with django_assert_num_queries(10) as one:
        client.get("/officer/")
    for _ in range(5):
        EntryFactory(practice=PracticeFactory(municipality=officer.municipality))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/officer/")


def test_juror_dashboard_queries_do_not_grow_with_memberships(client, django_assert_num_queries):
    member = JuryMemberFactory()
    client.force_login(member.user)
    with django_assert_num_queries(8) as one:
        client.get("/jury/")
    for _ in range(4):
        JuryMemberFactory(user=member.user)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/jury/")
