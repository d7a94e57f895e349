"""Jurors' onboarding: the affiliations they declare on joining are read by the one conflict
rule; joining records the declaration of confidentiality and conduct (version and moment);
jurors sign in with their e-mail address."""

import pytest
from django.utils import timezone

from competitions.enums import ConflictScope
from scoring.models import Assignment, JuryMember
from scoring.services.assignments import (
    AssignmentError,
    assignment_add,
    assignment_conflict_reason,
    assignments_area_everyone,
)
from scoring.services.jury import jury_invitation_token
from tests.factories import (
    EntryFactory,
    JuryMemberFactory,
    MunicipalityFactory,
    OrganiserFactory,
    ThematicAreaFactory,
    UserFactory,
    privacy_consent,
)

from ..factories_jury import ReviewEditionFactory

pytestmark = pytest.mark.django_db


def _invitation(edition, *, new: bool = True, **user):
    """An invitation not yet accepted, of a new person (no password yet) or not."""
    member = JuryMemberFactory(edition=edition, accepted_at=None, user=UserFactory(**user))
    if new:
        member.user.set_unusable_password()
        member.user.save()
    return member


def test_accepting_records_the_affiliations_and_the_declaration(client, settings):
    settings.JURY_DECLARATION_VERSION = "2026-11-29"
    edition = ReviewEditionFactory()
    tundzha = MunicipalityFactory(name="Тунджа", region="Ямбол")
    member = _invitation(edition, email="expert@example.org")
    before = timezone.now()
    response = client.post(f"/jury/invitation/{jury_invitation_token(member)}/", {
        "juror-affiliated_municipality": tundzha.pk, "juror-affiliated_region": "Ямбол",
        "juror-affiliated_organisation": "Асоциация на общините",
        "juror-declaration": "on", **privacy_consent(),
        "new_password1": "jury-pass-2027", "new_password2": "jury-pass-2027"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.affiliated_municipality, member.affiliated_region,
            member.affiliated_organisation, member.declaration_version) == (
        tundzha, "Ямбол", "Асоциация на общините", "2026-11-29")
    assert member.accepted_at == member.declared_at and member.declared_at >= before


def test_no_one_joins_without_agreeing_to_the_declaration(client):
    member = _invitation(ReviewEditionFactory())
    response = client.post(f"/jury/invitation/{jury_invitation_token(member)}/", {
        "new_password1": "jury-pass-2027", "new_password2": "jury-pass-2027",
        **privacy_consent()})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    member.refresh_from_db()
    assert (member.accepted_at, member.declared_at, member.user.has_usable_password()) == (
        None, None, False)


def test_an_existing_account_agrees_to_the_declaration_too(client):
    member = _invitation(ReviewEditionFactory(), new=False)
    client.force_login(member.user)
    link = f"/jury/invitation/{jury_invitation_token(member)}/"
    assert client.post(link).status_code == 200
    member.refresh_from_db()
    assert member.accepted_at is None
    assert client.post(link, {"juror-declaration": "on", **privacy_consent()}).url == "/jury/"
    member.refresh_from_db()
    assert member.declaration_version and member.declared_at is not None


def test_the_invitation_page_shows_the_declaration_in_bulgarian(client):
    member = _invitation(ReviewEditionFactory())
    client.cookies["django_language"] = "bg"
    page = client.get(f"/jury/invitation/{jury_invitation_token(member)}/").content.decode()
    assert "Декларация за поверителност и етично поведение" in page
    assert "Вашите връзки" in page


# --- the conflict rule reads the affiliations -----------------------------------------------
def _edition_with_entries():
    edition = ReviewEditionFactory(min_sheets_per_entry=1,
                                   conflict_scope=ConflictScope.MUNICIPALITY)
    area = ThematicAreaFactory(edition=edition, code="I")
    yambol = MunicipalityFactory(region="Ямбол", region_en="Yambol")
    tundzha = MunicipalityFactory(region="Ямбол", region_en="Yambol")
    dobrich = MunicipalityFactory(region="Добрич", region_en="Dobrich")
    entries = {name: EntryFactory(area=area, practice__municipality=m)
               for name, m in (("yambol", yambol), ("tundzha", tundzha), ("dobrich", dobrich))}
    return edition, area, entries


def _assigned(juror) -> set[str]:
    return set(Assignment.objects.filter(juror=juror)
               .values_list("entry__practice__municipality__region", flat=True))


def test_a_juror_affiliated_with_a_municipality_does_not_score_its_entries():
    edition, area, entries = _edition_with_entries()
    member = JuryMemberFactory(
        edition=edition, affiliated_municipality=entries["yambol"].practice.municipality)
    assignments_area_everyone(area=area, by=OrganiserFactory())
    assert set(Assignment.objects.filter(juror=member.user).values_list("entry", flat=True)) \
        == {entries["tundzha"].pk, entries["dobrich"].pk}
    with pytest.raises(AssignmentError) as error:
        assignment_add(entry=entries["yambol"], juror=member.user, by=None)
    assert error.value.messages == [
        "The entry comes from a municipality the juror is affiliated with."]


def test_a_juror_affiliated_with_a_region_does_not_score_its_municipalities_entries():
    edition, area, entries = _edition_with_entries()
    member = JuryMemberFactory(edition=edition, affiliated_region="Ямбол")
    assignments_area_everyone(area=area, by=OrganiserFactory())
    assert _assigned(member.user) == {"Добрич"}
    assert assignment_conflict_reason(edition=edition, juror=member.user,
                                      entry=entries["tundzha"]) \
        == "The entry comes from a region the juror is affiliated with."


def test_the_region_of_an_affiliated_municipality_counts_when_the_edition_says_so():
    edition, area, entries = _edition_with_entries()
    edition.conflict_scope = ConflictScope.REGION
    edition.save()
    member = JuryMemberFactory(
        edition=edition, affiliated_municipality=entries["yambol"].practice.municipality)
    assignments_area_everyone(area=area, by=OrganiserFactory())
    assert _assigned(member.user) == {"Добрич"}


def test_a_juror_without_affiliations_scores_every_entry():
    edition, area, entries = _edition_with_entries()
    member = JuryMemberFactory(edition=edition)
    assignments_area_everyone(area=area, by=OrganiserFactory())
    assert Assignment.objects.filter(juror=member.user).count() == 3
    assert JuryMember.objects.get(pk=member.pk).affiliated_region == ""


# --- signing in -----------------------------------------------------------------------------
def test_a_juror_signs_in_with_their_email_address_and_the_page_says_so(client, password):
    member = JuryMemberFactory(user=UserFactory(email="Expert.Ana@example.org"))
    page = client.get("/accounts/login/").content.decode()
    assert "E-mail address or user name" in page
    response = client.post("/accounts/login/", {"username": "expert.ana@example.org",
                                                "password": password})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.user.pk


def test_signing_in_remembers_the_interface_language(client, password):
    user = UserFactory(language="en")
    client.cookies["django_language"] = "bg"
    client.post("/accounts/login/", {"username": user.username, "password": password})
    user.refresh_from_db()
    assert user.language == "bg"
