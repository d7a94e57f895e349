"""A person's own data: the download holds every personal field of theirs and nothing of
anyone else; the erasure forgets them everywhere and changes no result."""

import json

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from accounts.enums import ConsentPurpose, EmailKind, OfficerStatus
from accounts.models import EmailChange, OutboxEmail, PrivacyEvent, SignInUnlock, User
from accounts.privacy import consent_record, privacy_notice_current
from portal.audit import audit_log
from portal.privacy.personal_data import PLACES
from portal.privacy.services import person_data_export, person_erase
from practices.models import Practice
from scoring.models import JurySheet, RankingResult, RankingRun, SheetScore
from scoring.services.ranking import (
    ranking_run_create,
    ranking_run_execute,
    ranking_run_publish,
)
from tests.factories import JuryMemberFactory, OfficerFactory, OrganiserFactory
from tests.scoring.factories_ranking import competition

pytestmark = pytest.mark.django_db


def person(prefix: str, **extra) -> dict:
    """Marker values for every personal field of a person: found where they should be,
    and nowhere else."""
    return {"username": f"{prefix}.user", "first_name": f"{prefix}First",
            "last_name": f"{prefix}Last", "email": f"{prefix}.mail@example.org",
            "position": f"{prefix} position", "phone": f"+359 {prefix} 0001", **extra}


def markers(values: dict) -> list[str]:
    return [values[name] for name in ("username", "first_name", "last_name", "email",
                                      "position", "phone")]


def fill(user: User, values: dict) -> User:
    for name, value in values.items():
        setattr(user, name, value)
    user.save()
    return user


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """A published edition (a real ranking run) in which two people, Alice (juror and
    officer) and Bob (the same roles), left data of every kind."""
    game = competition(areas=1, entries_per_area=3, jurors=3)
    organiser = OrganiserFactory(**person("Org"))
    alice, bob = game.jurors[0], game.jurors[1]
    municipality = game.entries[0].practice.municipality
    for user, prefix in ((alice, "Alice"), (bob, "Bob")):
        fill(user, person(prefix, municipality=municipality,
                          officer_status=OfficerStatus.APPROVED, officer_decided_by=organiser,
                          officer_decided_at=timezone.now(), language="bg"))
        consent_record(user=user, notice=privacy_notice_current(),
                       purpose=ConsentPurpose.REGISTRATION)
        EmailChange.objects.create(user=user, old_email=f"old.{user.email}",
                                   new_email=user.email, requested_by=organiser,
                                   confirmed_at=timezone.now())
        SignInUnlock.objects.create(username=user.username, ip_address="10.1.2.3",
                                    failures=5, by=organiser)
        AccessAttempt.objects.create(username=user.username, ip_address="10.9.9.9",
                                     user_agent=f"{user.first_name}-browser",
                                     failures_since_start=1, get_data="", post_data="",
                                     http_accept="*/*", path_info="/accounts/login/")
    practices = [entry.practice for entry in game.entries]
    for practice, (author, contact) in zip(practices, ((alice, alice), (bob, bob),
                                                       (alice, bob)), strict=True):
        practice.created_by = author
        practice.contact_name = contact.get_full_name()
        practice.contact_email = contact.email
        practice.contact_phone = contact.phone
        practice._history_user = author
        practice.save()
    for user in (alice, bob):
        sheet = JurySheet.objects.filter(juror=user).order_by("pk").first()
        # what a juror wrote stays (the sheets are kept): no name of theirs in it here
        sheet.overall_comment = f"{user.last_name[:-4]} overall comment"
        sheet._history_user = user
        sheet.save()
        SheetScore.objects.filter(sheet=sheet).update(comment=f"{user.last_name[:-4]} says")
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_publish(run=run, by=organiser)
    return {"game": game, "alice": alice, "bob": bob, "organiser": organiser, "run": run}


def leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


# --- the download ---------------------------------------------------------------------------
def test_data_download_holds_every_personal_field_of_the_person(client, world):
    alice = world["alice"]
    client.force_login(alice)
    response = client.get("/accounts/me/data.json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert set(data) == {"format", "generated_at", "person", *(p.key for p in PLACES)}
    text = response.content.decode()
    for marker in [*markers(person("Alice")), "old.Alice.mail@example.org",
                   "Alice overall comment", "Alice says", "AliceFirst-browser", "10.1.2.3"]:
        assert marker in text, marker
    account = data["account"]
    assert (account["username"], account["email"], account["phone"], account["position"],
            account["officer_status"], account["language"]) == (
        "Alice.user", "Alice.mail@example.org", "+359 Alice 0001", "Alice position",
        "approved", "bg")
    assert [c["purpose"] for c in data["consents"]] == ["registration"]
    assert len(data["jury"]["memberships"]) == 1
    assert len(data["jury"]["sheets"]) == 3
    assert sorted(p["title"] for p in data["practices"]["authored"]) == ["P0-0", "P0-2"]
    assert [p["title"] for p in data["practices"]["contact_person_of"]] == ["P0-0"]
    assert {item["record"] for item in data["history"]["changes_made"]} >= {
        "practice", "jury sheet"}


def test_data_download_holds_nothing_of_anyone_else(client, world):
    client.force_login(world["alice"])
    text = client.get("/accounts/me/data.json").content.decode()
    for other in ("Bob", "Org"):
        for marker in markers(person(other)):
            assert marker not in text, marker
    for marker in ("Bob overall comment", "Bob says", "BobFirst-browser", "Juror2"):
        assert marker not in text, marker


def test_data_download_needs_a_signed_in_person(client):
    assert client.get("/accounts/me/data.json").url.startswith("/accounts/login/")


def test_account_page_lists_consents_and_the_download(client, world, django_assert_max_num_queries):
    client.force_login(world["alice"])
    with django_assert_max_num_queries(12):
        page = client.get("/accounts/me/").content.decode()
    assert 'href="/accounts/me/data.json"' in page
    assert 'data-consent-version="1"' in page


# --- the erasure ----------------------------------------------------------------------------
def published_state(run: RankingRun) -> tuple:
    results = list(RankingResult.objects.filter(run=run).order_by("pk").values_list(
        "entry_id", "criterion_scores", "total", "rank", "place", "sheet_count", "flags"))
    run.refresh_from_db()
    return results, run.fingerprint, run.snapshot, run.is_published


def organiser_urls(world) -> list[str]:
    slug = world["game"].edition.slug
    sheet = JurySheet.objects.filter(juror=world["alice"]).first()
    practice = world["game"].entries[0].practice
    return ["/organiser/", "/organiser/audit/", "/organiser/lockouts/", f"/organiser/jury/{slug}/",
            f"/organiser/jury/{slug}/assignments/", f"/organiser/jury/{slug}/progress/",
            f"/organiser/jury/sheets/{sheet.pk}/", f"/organiser/entries/{slug}/",
            f"/organiser/entries/{slug}/export.csv", f"/organiser/results/{slug}/",
            f"/organiser/editions/{slug}/", "/organiser/privacy/people/?q=Alice",
            "/organiser/privacy/people/?q=Erased", "/admin/accounts/user/",
            "/admin/accounts/emailchange/", f"/admin/practices/practice/{practice.pk}/change/",
            f"/admin/practices/practice/{practice.pk}/history/"]


def public_urls(world) -> list[str]:
    slug = world["game"].edition.slug
    urls = ["/", "/showcase/", f"/showcase/{slug}/", f"/showcase/{slug}/results.csv",
            f"/showcase/{slug}/results.json", f"/showcase/{slug}/sheets.csv",
            f"/showcase/{slug}/sheets.json", "/showcase/feed/", "/api/v1/practices/",
            "/api/v1/results/"]
    return urls + [f"/practices/{entry.practice_id}/" for entry in world["game"].entries]


def body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8")


def test_erasure_forgets_the_person_everywhere_and_changes_no_result(client, world):
    alice, organiser, run = world["alice"], world["organiser"], world["run"]
    before = published_state(run)
    anonymous = Client()
    exports = [url for url in public_urls(world) if url.endswith((".csv", ".json"))
               or url.startswith("/api/")]
    exports_before = {url: body(anonymous.get(url)) for url in exports}
    address = alice.email
    OutboxEmail.objects.create(recipient=address, kind=EmailKind.JURY_REMINDER,
                               subject="Reminder")
    assert OutboxEmail.objects.filter(recipient__iexact=address).exists()
    OutboxEmail.objects.create(recipient=world["bob"].email, kind=EmailKind.JURY_REMINDER,
                               subject="Reminder")

    event = person_erase(person=alice, by=organiser)

    alice.refresh_from_db()
    assert (alice.username, alice.email, alice.position, alice.phone, alice.is_active,
            alice.has_usable_password()) == (event.subject, "", "", "", False, False)
    assert alice.get_full_name() == f"Erased person {alice.last_name}"
    assert len(alice.last_name) == 4
    assert published_state(run) == before
    rerun = ranking_run_execute(run_id=ranking_run_create(edition=world["game"].edition).pk)
    assert rerun.fingerprint == before[1]  # the inputs themselves are unchanged
    gone = [*markers(person("Alice")), "old.Alice.mail@example.org", "AliceFirst-browser"]
    client.force_login(organiser)
    asked = [(anonymous, url) for url in public_urls(world)] + [
        (client, url) for url in organiser_urls(world)]
    for who, url in asked:
        response = who.get(url)
        assert response.status_code == 200, url
        text = body(response)
        for marker in gone:
            assert marker not in text, (url, marker)
        if url in exports_before:  # published results and open data: the same bytes
            assert text == exports_before[url], url
    assert "Bob.mail@example.org" in body(client.get("/admin/accounts/user/"))
    audit = body(client.get("/organiser/audit/"))
    assert event.subject in audit and "Erased person" in audit
    rows = [row for row in audit_log(kind="privacy")[0]]
    assert [(row.subject, row.who) for row in rows] == [(event.subject, organiser)]
    assert AccessAttempt.objects.filter(username="Alice.user").count() == 0
    assert User.history.filter(username="Alice.user").count() == 0  # the role history
    assert OutboxEmail.objects.filter(recipient__iexact=address).count() == 0
    assert OutboxEmail.objects.filter(recipient=world["bob"].email, subject="Reminder").exists()
    assert SignInUnlock.objects.filter(username="Alice.user").count() == 0
    assert Practice.history.filter(contact_email="Alice.mail@example.org").count() == 0
    assert Practice.objects.filter(contact_email="Bob.mail@example.org").count() == 2
    assert json.dumps(person_data_export(person=User.objects.get(pk=world["bob"].pk)),
                      default=str).count("Bob.mail@example.org") >= 3


def test_erasure_is_asked_to_confirm_then_done_by_a_post(client, world):
    alice, organiser = world["alice"], world["organiser"]
    client.force_login(organiser)
    url = f"/organiser/privacy/people/{alice.pk}/erase/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Alice.mail@example.org" in page.content.decode()
    refused = client.post(url, {})
    assert refused.status_code == 400
    alice.refresh_from_db()
    assert alice.erased_at is None
    response = client.post(url, {"confirm": "on"})
    assert response.url == "/organiser/privacy/people/"
    alice.refresh_from_db()
    assert alice.erased_at is not None
    assert client.get(url).status_code == 404  # erased once
    assert PrivacyEvent.objects.count() == 1


def test_organisers_and_oneself_are_not_erased_here(client, world):
    organiser = world["organiser"]
    other = OrganiserFactory()
    client.force_login(organiser)
    for target in (organiser, other):
        assert client.get(f"/organiser/privacy/people/{target.pk}/erase/").status_code == 404
        assert client.post(f"/organiser/privacy/people/{target.pk}/erase/",
                           {"confirm": "on"}).status_code == 404
    assert User.objects.filter(erased_at__isnull=False).count() == 0


def test_an_erased_person_cannot_sign_in(client, world):
    alice = world["alice"]
    person_erase(person=alice, by=world["organiser"])
    for name in ("Alice.user", "Alice.mail@example.org", "Erased person"):
        client.post("/accounts/login/", {"username": name, "password": "test-pass-2016"})
        assert "_auth_user_id" not in client.session


def test_the_people_search_lists_officers_and_jurors_only(client, world):
    client.force_login(world["organiser"])
    page = client.get("/organiser/privacy/people/?q=example.org").content.decode()
    assert "Alice.mail@example.org" in page and "Bob.mail@example.org" in page
    assert "Org.mail@example.org" not in page


def test_erasure_of_an_invited_person_keeps_the_membership_under_the_pseudonym(world):
    member = JuryMemberFactory(user=OfficerFactory(), accepted_at=None)
    person_erase(person=member.user, by=world["organiser"])
    member.refresh_from_db()
    assert member.user.erased_at is not None
