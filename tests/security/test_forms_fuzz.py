"""Hostile input to every form: wrong types, huge numbers, very long strings, control
characters, missing fields. Whatever is sent, the answer is never a server error, and when
the answer is an error nothing was saved (the rows a form writes are unchanged).

Each example is one request inside a savepoint rolled back afterwards (see conftest.ask), so
the examples do not see each other's effects; the world is built once for the module.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from scoring.models import Assignment, JuryMember, JurySheet, SheetScore

from .conftest import World, ask

pytestmark = pytest.mark.django_db

EXAMPLES = 25
fuzz = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

CONTROL = st.sampled_from(["\x00", "\x01", "\x07", "\x1b[31m", "\r\n", "\u202e", "\ufeff",
                           "\ud7ff", "\U0001f4a3"])
hostile = st.one_of(
    st.text(max_size=40),
    st.lists(CONTROL, min_size=1, max_size=5).map("".join),
    st.builds(lambda text, control: text + control + text, st.text(max_size=10), CONTROL),
    st.integers(min_value=-(10 ** 40), max_value=10 ** 40).map(str),
    st.sampled_from(["NaN", "inf", "-inf", "1e309", "-0", "0x10", "1_000", "٣", "", " ",
                     "true", "null", "[]", "{}", "9223372036854775808", "-1", "3.5"]),
    st.builds(lambda char, size: char * size, st.sampled_from("a9ж\x00 <"),
              st.integers(min_value=1_000, max_value=100_000)),
)


def form_data(*fields: str):
    """Any subset of the fields (missing ones are missing), each with a hostile value, or a
    list of values (a field sent twice)."""
    value = st.one_of(hostile, st.lists(hostile, min_size=2, max_size=3))
    return st.fixed_dictionaries({}, optional={name: value for name in fields})


def assert_clean(answer, *, ok: set[int]) -> None:
    """Never a server error; unless the answer is one of the `ok` statuses (the form was
    accepted), the probed rows are exactly as before."""
    assert answer.status < 500
    if answer.status not in ok:
        assert answer.after == answer.before


def _users() -> tuple:
    return (User.objects.count(),
            tuple(User.objects.order_by("pk").values_list("password", "is_active",
                                                          "officer_status")))


# --- accounts -------------------------------------------------------------------------------
@fuzz
@given(data=form_data("username", "email", "password1", "password2", "first_name",
                      "last_name", "municipality", "position", "phone"))
def test_registration_survives_hostile_input(world_db: World, data):
    answer = ask(None, "POST", reverse("register"), data=data, probe=_users)
    assert_clean(answer, ok={302})


@fuzz
@given(data=form_data("username", "password"))
def test_login_survives_hostile_input(world_db: World, data):
    answer = ask(None, "POST", reverse("login"), data=data, probe=_users)
    assert_clean(answer, ok=set())


@fuzz
@given(data=form_data("email"))
def test_password_reset_survives_hostile_input(world_db: World, data):
    answer = ask(None, "POST", reverse("password_reset"), data=data, probe=_users)
    assert_clean(answer, ok=set())


def test_login_never_redirects_to_another_site(world_db: World):
    """An open redirect would turn the sign-in page into a phishing helper."""
    officer = world_db.officer_a
    answer = ask(None, "POST", reverse("login") + "?next=https://evil.example/steal",
                 data={"username": officer.username, "password": "test-pass-2016",
                       "next": "https://evil.example/steal"})
    assert (answer.status, "evil" in answer.location) == (302, False)


def test_set_language_never_redirects_to_another_site(world_db: World):
    answer = ask(None, "POST", reverse("set_language"),
                 data={"language": "bg", "next": "https://evil.example/"})
    assert (answer.status, "evil" in answer.location) == (302, False)


# --- the jury sheet, as the assigned juror ----------------------------------------------------
def _sheet_fields(world: World) -> list[str]:
    criteria = list(world.review.criteria.order_by("order"))
    return ([f"score-{criterion.pk}" for criterion in criteria]
            + [f"comment-{criterion.pk}" for criterion in criteria]
            + ["overall_comment", "action"])


def _sheets_of(user: User):
    def probe() -> tuple:
        sheets = tuple(JurySheet.objects.filter(juror=user).order_by("pk").values_list(
            "pk", "status", "recused", "recusal_reason", "overall_comment", "submitted_at"))
        scores = tuple(SheetScore.objects.filter(sheet__juror=user).order_by("pk").values_list(
            "sheet_id", "criterion_id", "value", "comment"))
        return sheets, scores
    return probe


@fuzz
@given(data=st.data())
def test_jury_sheet_autosave_survives_hostile_input(world_db: World, data):
    juror = world_db.users["juror_assigned"]
    sent = data.draw(form_data(*_sheet_fields(world_db)))
    answer = ask(juror, "POST", reverse("jury_sheet_autosave", args=[world_db.entry_a.pk]),
                 data=sent, probe=_sheets_of(juror))
    assert_clean(answer, ok={200})


@fuzz
@given(data=st.data())
def test_jury_sheet_save_and_submit_survive_hostile_input(world_db: World, data):
    juror = world_db.users["juror_assigned"]
    sent = data.draw(form_data(*_sheet_fields(world_db)))
    if data.draw(st.booleans()):
        sent["action"] = "submit"
    answer = ask(juror, "POST", reverse("jury_sheet", args=[world_db.entry_a.pk]),
                 data=sent, probe=_sheets_of(juror))
    assert_clean(answer, ok={302})


@fuzz
@given(data=form_data("reason"))
def test_jury_recusal_survives_hostile_input(world_db: World, data):
    juror = world_db.users["juror_assigned"]
    answer = ask(juror, "POST", reverse("jury_sheet_recuse", args=[world_db.entry_a.pk]),
                 data=data, probe=_sheets_of(juror))
    assert_clean(answer, ok={302})


# --- the organiser's jury forms ---------------------------------------------------------------
def _jury_rows() -> tuple:
    return (User.objects.count(), JuryMember.objects.count(),
            tuple(Assignment.objects.order_by("pk").values_list("pk", "entry_id", "juror_id")))


def _id_or_hostile(ids):
    return st.one_of(hostile, st.sampled_from([str(pk) for pk in ids]))


@fuzz
@given(data=st.data())
def test_organiser_jury_invitation_survives_hostile_input(world_db: World, data):
    areas = list(world_db.review.areas.values_list("pk", flat=True))
    sent = data.draw(form_data("email", "first_name", "last_name"))
    sent["areas"] = data.draw(st.lists(_id_or_hostile(areas), max_size=3))
    answer = ask(world_db.users["organiser"], "POST",
                 reverse("organiser_jury", args=[world_db.review.slug]), data=sent,
                 probe=_jury_rows)
    assert_clean(answer, ok={302})


@fuzz
@given(data=st.data())
def test_organiser_assignment_forms_survive_hostile_input(world_db: World, data):
    review = world_db.review
    entries = [world_db.entry_a.pk, world_db.entry_b.pk]
    jurors = [world_db.users["juror_assigned"].pk, world_db.users["juror_other"].pk]
    areas = list(review.areas.values_list("pk", flat=True))
    url_name, fields = data.draw(st.sampled_from([
        ("organiser_jury_assignment_add", {"entry": entries, "juror": jurors}),
        ("organiser_jury_assignments_auto", {"per_entry": [1, 2], "area": areas}),
        ("organiser_jury_assignments_everyone", {"area": areas}),
        ("organiser_jury_reminders", {"juror": jurors}),
    ]))
    sent = data.draw(st.fixed_dictionaries(
        {}, optional={name: _id_or_hostile(ids) for name, ids in fields.items()}))
    answer = ask(world_db.users["organiser"], "POST", reverse(url_name, args=[review.slug]),
                 data=sent, probe=_jury_rows)
    assert_clean(answer, ok={302})


def _lockout_rows() -> tuple:
    from axes.models import AccessAttempt

    from accounts.models import SignInUnlock

    return (tuple(AccessAttempt.objects.order_by("pk").values_list("username", "ip_address")),
            SignInUnlock.objects.count())


@fuzz
@given(username=st.one_of(hostile, st.just("locked.out")),
       address=st.one_of(hostile, st.sampled_from(["192.0.2.10", "2001:db8::1"])))
def test_organiser_unlock_survives_hostile_input(world_db: World, username, address):
    from axes.models import AccessAttempt

    AccessAttempt.objects.get_or_create(
        username="locked.out", ip_address="192.0.2.10", user_agent="fuzz",
        defaults={"failures_since_start": 5, "get_data": "", "post_data": "",
                  "http_accept": "", "path_info": ""})
    answer = ask(world_db.users["organiser"], "POST", reverse("organiser_lockout_unlock"),
                 data={"username": username, "ip_address": address}, probe=_lockout_rows)
    assert_clean(answer, ok={302})


# --- what the fuzzing found, pinned down ------------------------------------------------------
def test_login_with_an_overlong_user_name_is_a_form_error(world_db: World):
    """Such a name once reached django-axes, whose 255-character column refused it on
    PostgreSQL: a server error."""
    answer = ask(None, "POST", reverse("login"), data={"username": "u" * 300,
                                                       "password": "x"}, probe=_users)
    assert (answer.status, answer.before == answer.after) == (200, True)


def test_jury_comment_with_a_nul_character_is_saved_without_it(world_db: World):
    """PostgreSQL cannot store NUL in a text: once a server error on autosave."""
    juror = world_db.users["juror_assigned"]
    criterion = world_db.review.criteria.order_by("order").first()

    def stored() -> str:
        return SheetScore.objects.get(sheet=world_db.sheet_assigned,
                                      criterion=criterion).comment

    answer = ask(juror, "POST", reverse("jury_sheet_autosave", args=[world_db.entry_a.pk]),
                 data={f"comment-{criterion.pk}": "before\x00after"}, probe=stored)
    assert (answer.status, answer.after) == (200, "beforeafter")


def test_jury_invitation_with_an_area_id_beyond_64_bits_is_a_form_error(world_db: World):
    """SQLite cannot run an `__in` query with such a number: once a server error."""
    answer = ask(world_db.users["organiser"], "POST",
                 reverse("organiser_jury", args=[world_db.review.slug]),
                 data={"email": "new.juror@example.org", "areas": ["9" * 30]},
                 probe=_jury_rows)
    assert (answer.status, answer.before == answer.after) == (400, True)


# --- uploads, as the officer of the practice ----------------------------------------------------
HOSTILE_NAMES = st.one_of(
    st.text(min_size=1, max_size=60).map(lambda t: t.replace("/", "_") + ".png"),
    st.sampled_from(["../../etc/passwd", ".htaccess", "photo.png\u202egpj.exe", "a\x00b.pdf",
                     "CON.pdf", "x" * 300 + ".pdf", "report.pdf.exe", "évaluation.docx",
                     "image.PNG", "no-extension", "archive.zip", "page.html", "vector.svg"]),
)
HOSTILE_CONTENT = st.one_of(
    st.binary(max_size=2_000),
    st.sampled_from([b"%PDF-1.4 not really a pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
                     b"GIF89a<script>alert(1)</script>", b"PK\x03\x04broken zip",
                     b"<svg onload=alert(1)>", b""]),
)


def _files_of(practice):
    def probe() -> tuple:
        return (tuple(practice.photos.order_by("pk").values_list("pk", "image")),
                tuple(practice.attachments.order_by("pk").values_list("pk", "file")))
    return probe


@fuzz
@given(data=st.data())
def test_uploads_survive_hostile_files(world_db: World, data):
    """Hostile names and contents are refused with a message (never a 500) and nothing is
    stored; the practice has no entry, so it may still be changed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import PracticeFactory

    practice = (world_db.municipality_a.practices.filter(title="Fuzz target").first()
                or PracticeFactory(municipality=world_db.municipality_a, title="Fuzz target"))
    kind = data.draw(st.sampled_from(["photo", "attachment"]))
    upload = SimpleUploadedFile(data.draw(HOSTILE_NAMES), data.draw(HOSTILE_CONTENT),
                                data.draw(st.sampled_from(["image/png", "application/pdf",
                                                           "text/html", "application/zip"])))
    field = "image" if kind == "photo" else "file"
    url = reverse(f"practice_{kind}_add", args=[practice.pk])
    answer = ask(world_db.users["officer_owner"], "POST", url,
                 data={field: upload, "caption": data.draw(hostile),
                       "title": data.draw(hostile)}, probe=_files_of(practice))
    assert answer.status == 400  # the owner reached the form, which refused the file
    assert answer.after == answer.before  # none of these is a valid photo or document
