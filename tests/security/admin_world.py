"""What the admin tests add to the security world: a superuser, one object of every model
registered in the admin, a published run with its publication record, a run that was
published once and then unpublished, and helpers to read the admin's change forms."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import User
from scoring.enums import PublicationAction
from scoring.models import JuryMember, PublicationEvent, RankingRun
from tests.factories import (
    CriterionFactory,
    EditionFactory,
    ThematicAreaFactory,
    UserFactory,
)
from tests.portal.factories_showcase import RankingRunFactory

from .conftest import MODEL_BACKEND, World

ADMIN_ROLES = ("anonymous", "officer", "juror", "organiser", "superuser")


@dataclass
class AdminWorld:
    world: World
    users: dict[str, User | None]
    objects: dict[str, object]  # "app_label.model_name" -> the object its change page shows
    published_run: RankingRun
    once_published_run: RankingRun
    # The set-up an organiser still edits (an open edition, its criterion and area): the
    # forms the fuzzing saves. The set-up of `objects` is an edition in review: locked.
    editable: dict[str, object]


def model_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def registered_models() -> list:
    return sorted(admin.site._registry, key=model_key)


def admin_url(model, page: str, obj=None) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    return reverse(name, args=[obj.pk] if obj is not None else [])


def _build(world: World) -> AdminWorld:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from accounts.models import EmailChange
    from giveback.enums import CommentDecision
    from giveback.models import Booklet, BookletIntroduction, CommentRelease, Signatory

    superuser = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    group = Group.objects.create(name="Reviewers")
    attempt = AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.7", user_agent="probe", get_data="",
        post_data="", http_accept="", path_info="/accounts/login/", failures_since_start=2)
    log = AccessLog.objects.create(username="someone", ip_address="192.0.2.7",
                                   user_agent="probe", http_accept="",
                                   path_info="/accounts/login/")
    failure = AccessFailureLog.objects.create(username="someone", ip_address="192.0.2.7",
                                              user_agent="probe", http_accept="",
                                              path_info="/accounts/login/", locked_out=False)
    published_run = RankingRun.objects.get(edition=world.published, is_published=True)
    organiser = world.users["organiser"]
    PublicationEvent.objects.create(run=published_run, action=PublicationAction.PUBLISH,
                                    by=organiser)
    once_published = RankingRunFactory(edition=world.published, is_published=False)
    PublicationEvent.objects.create(run=once_published, action=PublicationAction.PUBLISH,
                                    by=organiser)
    PublicationEvent.objects.create(run=once_published, action=PublicationAction.UNPUBLISH,
                                    by=organiser, reason="a mistake in area II")
    email_change = EmailChange.objects.create(
        user=world.officer_b, old_email=world.officer_b.email, new_email="new@example.org",
        requested_by=organiser)
    from accounts.enums import ConsentPurpose, PrivacyEventKind
    from accounts.models import Consent, PrivacyEvent
    from accounts.privacy import privacy_notice_current

    notice = privacy_notice_current()
    consent = Consent.objects.create(user=world.officer_b, notice=notice,
                                     purpose=ConsentPurpose.REGISTRATION)
    privacy_event = PrivacyEvent.objects.create(kind=PrivacyEventKind.REGISTRATION_REMOVED,
                                                subject="#999")
    objects = {
        "accounts.emailchange": email_change,
        "accounts.privacynotice": notice,
        "accounts.consent": consent,
        "accounts.privacyevent": privacy_event,
        "auth.group": group,
        "axes.accessattempt": attempt,
        "axes.accesslog": log,
        "axes.accessfailurelog": failure,
        "competitions.edition": world.review,
        "competitions.criterion": world.review.criteria.order_by("order").first(),
        "competitions.thematicarea": world.entry_b.area,
        "competitions.municipality": world.municipality_b,
        "accounts.user": world.officer_b,
        # B's practice and entry: no ranking result protects them, a submitted sheet is on it
        "practices.practice": world.practice_b,
        "practices.entry": world.entry_b,
        "scoring.jurymember": JuryMember.objects.get(edition=world.review,
                                                     user=world.users["juror_other"]),
        "scoring.jurysheet": world.sheet_other,
        "scoring.assignment": world.spare_assignment,
        "scoring.rankingrun": published_run,
        # give-back: set-up the organiser edits (signatories, introduction) and records
        "giveback.signatory": Signatory.objects.create(edition=world.published, name="Name",
                                                       role="Role"),
        "giveback.bookletintroduction": BookletIntroduction.objects.create(
            edition=world.published, text="Въведение", text_en="Introduction"),
        # a release recorded before the edition's round 2 was added (the service now takes
        # only the final round's sheets, and this sheet is round 1's)
        "giveback.commentrelease": CommentRelease.objects.create(
            sheet=world.sheet_other, criterion=None, decision=CommentDecision.RELEASED,
            text="released", decided_by=organiser),
        "giveback.booklet": Booklet.objects.create(run=published_run, language="en"),
        # deliberation: the closed edition's chair, draft decision, a comment and settings
        **_deliberation_objects(world),
        # records the beat and the officers write, read-only here
        **_record_objects(world),
    }
    users = {"anonymous": None, "officer": world.officer_a,
             "juror": world.users["juror_assigned"], "organiser": organiser,
             "superuser": superuser}
    client = Client()
    client.force_login(superuser, backend=MODEL_BACKEND)
    world.sessions[superuser.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    open_edition = EditionFactory(slug="open-edition")
    editable = {"competitions.edition": open_edition,
                "competitions.criterion": CriterionFactory(edition=open_edition),
                "competitions.thematicarea": ThematicAreaFactory(edition=open_edition)}
    return AdminWorld(world=world, users=users, objects=objects, published_run=published_run,
                      once_published_run=once_published, editable=editable)


def _deliberation_objects(world) -> dict:
    from deliberation.models import AreaChair, PanelComment, PanelSettings

    area = world.panel_area
    return {
        "deliberation.areachair": AreaChair.objects.get(area=area),
        "deliberation.areadecision": world.panel_decision,
        "deliberation.panelcomment": PanelComment.objects.create(
            entry=world.panel_entry, round=area.edition.rounds.get(number=1),
            author=world.users["juror_assigned"], body="A word to the panel."),
        "deliberation.panelsettings": PanelSettings.objects.create(edition=area.edition),
    }


def _record_objects(world) -> dict:
    import datetime

    from django.utils import timezone

    from practices.models import OrganiserDigest
    from scoring.models import JuryReminder
    from uptake.models import Adoption

    now = timezone.now()
    return {
        "scoring.juryreminder": JuryReminder.objects.create(
            member=JuryMember.objects.get(edition=world.review, user=world.users["juror_other"]),
            round=world.review.rounds.get(number=1), days_before=3, open_sheets=1),
        "practices.organiserdigest": OrganiserDigest.objects.create(
            day=datetime.date(2026, 3, 2), since=now, until=now, registrations=1),
        "uptake.followupreport": world.follow_up,
        "uptake.followupphoto": world.follow_up_photo,
        "uptake.adoption": Adoption.objects.create(
            practice=world.published_practice, municipality=world.municipality_a,
            adopted_on=datetime.date(2026, 3, 1)),
    }


@pytest.fixture(scope="module", name="admin_world")
def admin_world_fixture(world, django_db_blocker) -> Iterator[AdminWorld]:
    """Built inside the module's world transaction: rolled back with it."""
    with django_db_blocker.unblock():
        yield _build(world)


@pytest.fixture(name="admin_db")
def admin_db_fixture(admin_world, django_db_blocker) -> Iterator[AdminWorld]:
    with django_db_blocker.unblock():
        yield admin_world


class ChangeForm(HTMLParser):
    """The fields of the admin's main form (`<form id="..._form">`) with the values a
    browser would send: text inputs, checked boxes, selected options, text areas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.editable: set[str] = set()  # names a person can change (not hidden)
        self._in_form = False
        self._select: tuple[str, bool] | None = None  # name, whether an option was chosen
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind != "hidden":
                self.editable.add(name)
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.fields.append((name, attributes.get("value") or ("on" if kind == "checkbox"
                                                                  else "")))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attributes)
            self.editable.add(name)
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields.append((self._select[0], attributes.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
            self.editable.add(name)

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def change_form(body: str) -> ChangeForm:
    parser = ChangeForm()
    parser.feed(body)
    return parser


def as_post(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data
