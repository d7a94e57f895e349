"""The fixture world of the security tests, built once per module, and the helpers that walk
the URL configuration and ask a URL as a given role.

Every request runs inside a savepoint that is rolled back, so a POST that changes something
(an organiser approving an officer, a juror saving a sheet) never changes what the next
request sees, and the world is built only once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.enums import OfficerStatus
from accounts.models import EmailChange, User
from accounts.services import user_email_change_token
from competitions.models import Edition, Municipality
from practices.models import Attachment, Entry, Photo, Practice
from scoring.enums import SheetStatus
from scoring.models import Assignment, JurySheet, RankingResult, RankingRun
from scoring.services.jury import jury_invitation_token
from scoring.services.rounds import round_add, site_visit_add
from tests import tally
from tests.factories import (
    AssignmentFactory,
    CriterionFactory,
    EntryFactory,
    JuryMemberFactory,
    JurySheetFactory,
    MunicipalityFactory,
    OfficerFactory,
    OrganiserFactory,
    PracticeFactory,
    SheetScoreFactory,
    ThematicAreaFactory,
    UserFactory,
)
from tests.portal.factories_showcase import (
    RankingResultFactory,
    RankingRunFactory,
    published_edition,
)
from tests.practices.factories_practices import PhotoFactory, png_bytes
from tests.scoring.factories_jury import ReviewEditionFactory
from uptake.models import FollowUpPhoto, FollowUpReport, Question

PNG_BYTES = png_bytes()

ROLES = ("anonymous", "officer_owner", "officer_other", "juror_assigned", "juror_other",
         "organiser")

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MODEL_BACKEND = "accounts.backends.EmailOrUserNameBackend"


# --- the URL configuration ----------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    name: str | None  # with namespaces, e.g. "showcase:edition"; None when unnamed
    route: str  # the full pattern, e.g. "showcase/<slug:slug>/"

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def is_format_suffix(self) -> bool:
        """The duplicates DRF adds for `.json` and friends."""
        return "(?P<format>" in self.route or "<drf_format_suffix:format>" in self.route


def url_patterns() -> list[Route]:
    """Every URL pattern of the project, walking included URL configurations recursively."""

    def walk(patterns, prefix: str, namespace: str) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                yield Route(name=name, route=prefix + str(pattern.pattern))

    return list(walk(get_resolver().url_patterns, "", ""))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """A request served through the WSGI handler outside Django's test client (schemathesis
    in test_api_fuzz.py) sends request_started and request_finished, whose
    close_old_connections closes the connection inside the test's transaction on PostgreSQL
    (CONN_MAX_AGE, autocommit off): mute it as the test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# --- the world ------------------------------------------------------------------------------
@dataclass
class World:
    municipality_a: Municipality
    municipality_b: Municipality
    users: dict[str, User | None]  # role -> user (anonymous -> None)
    officer_a: User
    officer_b: User
    pending_officer: User
    review: Edition
    published: Edition
    practice_a: Practice
    practice_b: Practice
    entry_a: Entry
    entry_b: Entry
    sheet_assigned: JurySheet  # juror_assigned's draft on A's entry
    sheet_other: JurySheet  # juror_other's submitted sheet on B's entry
    sheet_third_a: JurySheet  # a third juror's submitted sheet on A's entry
    spare_assignment: Assignment
    published_practice: Practice
    published_photo: Photo
    private_photo: Photo
    attachment_a: Attachment
    published_result: RankingResult
    private_run: RankingRun
    private_result: RankingResult
    invitation_token: str
    email_change_token: str
    reset_uidb64: str
    reset_token: str
    sessions: dict[int, str] = field(default_factory=dict)  # user id -> session key
    # secret text -> the roles allowed to read it (a juror's comments: that juror, organiser)
    secrets: dict[str, set[str]] = field(default_factory=dict)
    # uptake: B's published practice's follow-up report (asked for, not approved), its
    # photo, and A's question to B about that practice
    follow_up: object = None
    follow_up_photo: object = None
    question: object = None
    # deliberation: an area whose scoring has closed; juror_assigned (its chair) submitted
    # every sheet, juror_other has a draft left; a draft decision on a succeeded run
    panel_area: object = None
    panel_entry: object = None
    panel_decision: object = None
    # rounds: the review edition's second round (later, nobody assigned yet) and a site
    # visit's notes with a file on A's entry in round 1
    second_round: object = None
    site_visit: object = None
    # juror_assigned chairs the review edition's area (it shortlists it); not this other one
    unchaired_area: object = None

    def user_for(self, role: str, *, owner: str = "a") -> User | None:
        """The user playing `role`; the officer roles swap when the object belongs to B."""
        if role in ("officer_owner", "officer_other"):
            mine = role == "officer_owner"
            return self.officer_a if mine == (owner == "a") else self.officer_b
        return self.users[role]


def _sheet(*, entry: Entry, juror: User, status: str, secret: str, criteria) -> JurySheet:
    sheet = JurySheetFactory(
        entry=entry, juror=juror, status=status, overall_comment=f"{secret} overall",
        submitted_at=timezone.now() if status == SheetStatus.SUBMITTED else None)
    for index, criterion in enumerate(criteria):
        SheetScoreFactory(sheet=sheet, criterion=criterion, value=6 + index,
                          comment=f"{secret} criterion {index}")
    return sheet


def build_world() -> World:
    municipality_a = MunicipalityFactory(name_en="Alphaville")
    municipality_b = MunicipalityFactory(name_en="Betatown")
    officer_a = OfficerFactory(username="officer_a", municipality=municipality_a)
    officer_b = OfficerFactory(username="officer_b", municipality=municipality_b)
    pending = OfficerFactory(username="officer_pending", municipality=municipality_a,
                             officer_status=OfficerStatus.PENDING)
    organiser = OrganiserFactory(username="organiser")
    juror_assigned = UserFactory(username="juror_assigned")
    juror_other = UserFactory(username="juror_other")
    juror_third = UserFactory(username="juror_third")

    # The edition in review: A's and B's entries, sheets with scores and comments.
    review = ReviewEditionFactory(slug="review-edition")
    area = ThematicAreaFactory(edition=review)
    criteria = [CriterionFactory(edition=review, order=1), CriterionFactory(edition=review,
                                                                             order=2)]
    practice_a = PracticeFactory(municipality=municipality_a, title_en="Practice of A")
    practice_b = PracticeFactory(municipality=municipality_b, title_en="Practice of B")
    entry_a = EntryFactory(practice=practice_a, area=area)
    entry_b = EntryFactory(practice=practice_b, area=area)
    for juror in (juror_assigned, juror_other, juror_third):
        JuryMemberFactory(edition=review, user=juror)
    AssignmentFactory(entry=entry_a, juror=juror_assigned)
    AssignmentFactory(entry=entry_b, juror=juror_other)
    spare = AssignmentFactory(entry=entry_a, juror=juror_third)
    AssignmentFactory(entry=entry_b, juror=juror_third)
    sheet_assigned = _sheet(entry=entry_a, juror=juror_assigned, status=SheetStatus.DRAFT,
                            secret="SECRET-juror_assigned-A", criteria=criteria)
    sheet_other = _sheet(entry=entry_b, juror=juror_other, status=SheetStatus.SUBMITTED,
                         secret="SECRET-juror_other-B", criteria=criteria)
    sheet_third_a = _sheet(entry=entry_a, juror=juror_third, status=SheetStatus.SUBMITTED,
                           secret="SECRET-juror_third-A", criteria=criteria)
    _sheet(entry=entry_b, juror=juror_third, status=SheetStatus.SUBMITTED,
           secret="SECRET-juror_third-B", criteria=criteria)
    private_photo = PhotoFactory(practice=practice_a)
    attachment_a = Attachment.objects.create(
        practice=practice_a, file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"),
        original_name="plan.pdf", content_type="application/pdf", size=13)
    # A ranking of the edition in review, computed but not published.
    private_run = RankingRunFactory(edition=review)
    private_result = RankingResultFactory(run=private_run, entry=entry_a, area=area, rank=1,
                                          place=1, total=9.12345)

    # An invited juror who has not accepted yet (no password): the invitation link.
    # (active: an invited account has no password until the link sets one; an inactive one
    # was deactivated, and its link is refused)
    invitee = UserFactory(username="invitee")
    invitee.set_unusable_password()
    invitee.save()
    invitation = JuryMemberFactory(edition=review, user=invitee, accepted_at=None)

    # The published edition of last year, with its published run and results.
    run, results = published_edition(slug="published-edition", areas=1, entries_per_area=2)
    published_result = results[0]
    published_practice = published_result.entry.practice
    # B's practice (its officers read its feedback report and certificate)
    published_practice.municipality = municipality_b
    published_practice.save(update_fields=["municipality"])
    published_photo = PhotoFactory(practice=published_practice)

    users = {"anonymous": None, "officer_owner": officer_a, "officer_other": officer_b,
             "juror_assigned": juror_assigned, "juror_other": juror_other,
             "organiser": organiser}
    secrets = {
        "SECRET-juror_assigned-A": {"juror_assigned", "organiser"},
        "SECRET-juror_other-B": {"juror_other", "organiser"},
        "SECRET-juror_third-A": {"organiser"},
        "SECRET-juror_third-B": {"organiser"},
    }
    # The published practice is B's, so that "owner b" rows ask B's officers as its own.
    published_practice.municipality = municipality_b
    published_practice.save()
    follow_up = FollowUpReport.objects.create(
        practice=published_practice, edition=run.edition, months=12, due_on=timezone.localdate())
    follow_up_photo = FollowUpPhoto.objects.create(
        report=follow_up, image=ContentFile(PNG_BYTES, name="follow-up.png"), size=len(PNG_BYTES))
    question = Question.objects.create(practice=published_practice,
                                       from_municipality=municipality_a, asked_by=officer_a,
                                       text="SECRET-question-A-to-B")
    secrets["SECRET-question-A-to-B"] = {"officer_owner", "officer_other"}
    panel_area, panel_entry, panel_decision = _deliberation(
        practice_a=practice_a, chair=juror_assigned, late=juror_other, third=juror_third,
        organiser=organiser)
    # the third juror's sheet: on the panel, for its members who submitted theirs
    secrets["SECRET-panel-third"] = {"juror_assigned", "organiser"}
    second_round, site_visit, unchaired_area = _rounds(
        review=review, entry_a=entry_a, organiser=organiser, chair=juror_assigned,
        secrets=secrets)
    return World(
        panel_area=panel_area, panel_entry=panel_entry, panel_decision=panel_decision,
        second_round=second_round, site_visit=site_visit, unchaired_area=unchaired_area,
        follow_up=follow_up, follow_up_photo=follow_up_photo, question=question,
        municipality_a=municipality_a, municipality_b=municipality_b, users=users,
        officer_a=officer_a, officer_b=officer_b, pending_officer=pending, review=review,
        published=run.edition, practice_a=practice_a, practice_b=practice_b, entry_a=entry_a,
        entry_b=entry_b, sheet_assigned=sheet_assigned, sheet_other=sheet_other,
        sheet_third_a=sheet_third_a, spare_assignment=spare,
        published_practice=published_practice, published_photo=published_photo,
        private_photo=private_photo, attachment_a=attachment_a,
        published_result=published_result,
        private_run=private_run, private_result=private_result,
        invitation_token=jury_invitation_token(invitation),
        email_change_token=user_email_change_token(EmailChange.objects.create(
            user=pending, old_email=pending.email, new_email="pending.new@example.org")),
        # for someone who never signs in here (signing in changes the token)
        reset_uidb64=urlsafe_base64_encode(force_bytes(pending.pk)),
        reset_token=default_token_generator.make_token(pending), secrets=secrets)


def _rounds(*, review, entry_a, organiser, chair, secrets):
    """A second round of the edition in review, a site visit of round 1 to A's entry, the
    chair of A's entry's area, and another area of the edition without a chair."""
    from deliberation.services import area_chair_appoint

    second_round = round_add(edition=review, review_open_at=review.review_close_at
                             + dt.timedelta(days=1),
                             review_close_at=review.review_close_at + dt.timedelta(days=10),
                             by=organiser, shortlist_top_n=1)
    site_visit = site_visit_add(
        judging_round=review.rounds.get(number=1), entry=entry_a, by=organiser,
        notes="SECRET-site-visit-A", file=ContentFile(b"%PDF-1.4 visit", name="visit.pdf"))
    secrets["SECRET-site-visit-A"] = {"juror_assigned", "juror_other", "organiser"}
    area_chair_appoint(area=entry_a.area, user=chair, by=organiser)
    return second_round, site_visit, ThematicAreaFactory(edition=review)


def _deliberation(*, practice_a, chair, late, third, organiser):
    """An edition whose review has closed: one area, A's entry scored by the three jurors
    (juror_assigned, its chair, and the third juror submitted; juror_other did not)."""
    import datetime as dt

    from competitions.enums import Phase
    from deliberation.services import area_chair_appoint, decision_draft

    now = timezone.now()
    closed = ReviewEditionFactory(slug="closed-edition", phase=Phase.RANKED,
                                  review_open_at=now - dt.timedelta(days=9),
                                  review_close_at=now - dt.timedelta(days=1))
    area = ThematicAreaFactory(edition=closed)
    criteria = [CriterionFactory(edition=closed, order=1)]
    practice = PracticeFactory(municipality=practice_a.municipality, title_en="Panel practice")
    entry = EntryFactory(practice=practice, area=area)
    for juror, status, secret in ((chair, SheetStatus.SUBMITTED, "SECRET-panel-chair"),
                                  (late, SheetStatus.DRAFT, "SECRET-panel-late"),
                                  (third, SheetStatus.SUBMITTED, "SECRET-panel-third")):
        JuryMemberFactory(edition=closed, user=juror)
        AssignmentFactory(entry=entry, juror=juror)
        _sheet(entry=entry, juror=juror, status=status, secret=secret, criteria=criteria)
    area_chair_appoint(area=area, user=chair, by=organiser)
    run = RankingRunFactory(edition=closed)
    RankingResultFactory(run=run, entry=entry, area=area, rank=1, place=1, total=7.5,
                         flags=["indistinguishable"])
    decision = decision_draft(area=area, run=run, by=chair)
    return area, entry, decision


@pytest.fixture(autouse=True)
def _media_in_tmp():
    """Not a folder per test here: the module's `world` keeps its files in its own."""


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """The world, built once for the module inside a transaction rolled back at its end."""
    media = tmp_path_factory.mktemp("security-media")
    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHER, LANGUAGE_CODE="en"):
        cache.clear()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            for user in (built.officer_a, built.officer_b, *built.users.values()):
                if user is not None:
                    client = Client()
                    client.force_login(user, backend=MODEL_BACKEND)
                    built.sessions[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
            _world.append(built)
            yield built
        finally:
            _world.clear()
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()


@pytest.fixture
def world_db(world, django_db_blocker) -> Iterator[World]:
    """The module's world, with database access for the test using it."""
    with django_db_blocker.unblock():
        yield world


# --- asking ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    body: str
    before: object = None  # what `probe` returned before the request, and after it
    after: object = None

    def outcome(self) -> str:
        """The status as the tables write it: 200, 404, '302→login', '302→/dashboard/'."""
        if self.status in (301, 302, 303, 307, 308):
            path = urlparse(self.location).path
            if path == reverse("login"):
                return f"{self.status}→login"
            if path == reverse("admin:login"):
                return f"{self.status}→admin login"
            return f"{self.status}→{path}"
        return str(self.status)


_world: list[World] = []
# One client per CSRF mode, reused: a new client loads every middleware again (WhiteNoise
# alone scans all the static files), which would be most of the matrix's time.
_clients: dict[bool, Client] = {}


def ask(user: User | None, method: str, url: str, *, csrf: bool = False, data=None,
        probe: Callable[[], object] | None = None, **extra) -> Answer:
    """One request as `user` (signed in with the session made for them when the world was
    built), inside a savepoint rolled back afterwards. `probe`, if given, is read just before
    and just after the request, inside the savepoint (e.g. row counts)."""
    tally.count_request()
    client = _clients.setdefault(csrf, Client(enforce_csrf_checks=csrf))
    client.cookies.clear()
    with transaction.atomic():
        if user is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = _world[-1].sessions[user.pk]
        before = probe() if probe else None
        response = getattr(client, method.lower())(url, data=data or {}, **extra)
        after = probe() if probe else None
        if getattr(response, "streaming", False):
            content = b"".join(response.streaming_content)
            # Closing sends request_finished, whose close_old_connections would close the
            # connection inside our transaction: the test client mutes it the same way.
            request_finished.disconnect(close_old_connections)
            try:
                response.close()
            finally:
                request_finished.connect(close_old_connections)
        else:
            content = response.content
        body = content.decode("utf-8", "replace")
        answer = Answer(status=response.status_code, location=response.get("Location", ""),
                        body=body, before=before, after=after)
        transaction.set_rollback(True)
    cache.clear()
    return answer


__all__ = ["ROLES", "Answer", "Route", "World", "ask", "build_world", "url_patterns"]
