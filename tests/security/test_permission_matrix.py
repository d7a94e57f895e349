"""The permission matrix: every URL of the project, asked by every role, with GET and POST.

The list of URLs comes from the URL configuration itself, so a new URL fails
`test_every_url_pattern_is_in_the_permission_table` until someone writes down who may
reach it: one entry in EXPECTED (and, when it takes arguments, one in FILLERS).

Roles (the columns of every row, in this order):
    anonymous, officer_owner (the officer of the municipality the object belongs to),
    officer_other (an officer of another municipality), juror_assigned (assigned to the
    entry), juror_other (on the same jury, assigned to another entry), organiser (staff).

Outcomes: 200, 403, 404, 405... as numbers; "302→login" a redirect to the sign-in page;
"302→/path/" a redirect elsewhere (ELSEWHERE: to any page but the sign-in page).

A key "name [variant]" asks the same URL with other objects (e.g. B's entry), so a row can
show that an object stays private. Every request is rolled back, so POSTs do not interfere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.urls import reverse

from .conftest import ROLES, World, ask, url_patterns

pytestmark = pytest.mark.django_db

L = "302→login"
ADMIN_LOGIN = "302→admin login"
ELSEWHERE = "302→(elsewhere)"


def to(name: str) -> str:
    return f"302→{reverse(name)}"


def every(outcome) -> tuple:
    return (outcome,) * len(ROLES)


@dataclass(frozen=True)
class Row:
    get: tuple
    post: tuple


def only_organiser(ok, *, anonymous=L, others=403) -> tuple:
    return (anonymous, others, others, others, others, ok)


def only_assigned_juror(ok, *, anonymous=L, others=404) -> tuple:
    return (anonymous, others, others, ok, others, others)


def OFFICER_OWNER_ONLY(ok) -> tuple:  # noqa: N802 - reads as a constant row
    return (L, ok, 404, 404, 404, 404)


SIGNED_IN_TO_DASHBOARD = ("200",) + (to("dashboard"),) * 5
PUBLIC_GET_ONLY = Row(get=every(200), post=every(405))
POST_ONLY_ORGANISER = Row(get=every(405), post=only_organiser(ELSEWHERE))

# --- the expected table: one entry per URL name -------------------------------------------
EXPECTED: dict[str, Row] = {
    # portal
    "home": Row(get=every(200), post=every(405)),
    "healthz": PUBLIC_GET_ONLY,
    "dashboard": Row(
        get=(L, to("officer_dashboard"), to("officer_dashboard"), to("juror_dashboard"),
             to("juror_dashboard"), to("organiser_dashboard")),
        post=(L, to("officer_dashboard"), to("officer_dashboard"), to("juror_dashboard"),
              to("juror_dashboard"), to("organiser_dashboard"))),
    "organiser_dashboard": Row(get=only_organiser(200), post=only_organiser(200)),
    "set_language": Row(get=every(ELSEWHERE), post=every(ELSEWHERE)),
    # accounts
    "login": Row(get=(200,) + (to("dashboard"),) * 5, post=(200,) + (to("dashboard"),) * 5),
    "logout": Row(get=every(405), post=every(to("home"))),
    "password_change": Row(get=(L,) + (200,) * 5, post=(L,) + (200,) * 5),
    "password_change_done": Row(get=(L,) + (200,) * 5, post=(L,) + (405,) * 5),
    "password_reset": Row(get=every(200), post=every(200)),
    "password_reset_done": Row(get=every(200), post=every(405)),
    "password_reset_confirm": Row(get=every(ELSEWHERE), post=every(ELSEWHERE)),
    "password_reset_complete": Row(get=every(200), post=every(405)),
    "register": Row(get=(200,) + (to("dashboard"),) * 5, post=(200,) + (to("dashboard"),) * 5),
    # the link sent to the old address: whoever holds it confirms, no sign-in needed; the
    # page shows the change (GET), its button applies it (POST)
    "email_change_confirm": Row(get=every(200), post=(L,) + (to("dashboard"),) * 5),
    "officer_approve": Row(get=every(405),
                           post=only_organiser(to("organiser_dashboard"), anonymous=403)),
    "officer_reject": Row(get=every(405),
                          post=only_organiser(to("organiser_dashboard"), anonymous=403)),
    "organiser_audit": Row(get=only_organiser(200), post=only_organiser(200)),
    # the console that runs an edition through its phases
    "organiser_edition_console": Row(get=only_organiser(200), post=only_organiser(200)),
    "organiser_edition_move": Row(get=every(405), post=only_organiser(400)),
    "organiser_edition_unlock": Row(get=every(405), post=only_organiser(400)),
    # sign-in lockouts: an empty POST names no lockout to lift, refused
    "organiser_lockouts": Row(get=only_organiser(200), post=only_organiser(200)),
    "organiser_lockout_unlock": Row(get=every(405), post=only_organiser(400)),
    # the outbox of sent e-mails: organisers only, read-only
    "organiser_outbox": Row(get=only_organiser(200), post=every(405)),
    # practices: the officer's pages (objects of A; the "other" officer is B's)
    "officer_dashboard": Row(get=(L, 200, 200, 403, 403, 403), post=(L, 200, 200, 403, 403, 403)),
    "practice_create": Row(get=(403, 200, 200, 403, 403, 403), post=(403, 200, 200, 403, 403, 403)),
    # A's practice: only A's officers; a visitor is sent to sign in, everyone else gets 404
    # (as for a practice that does not exist: another municipality's draft stays private).
    "practice_detail": Row(get=OFFICER_OWNER_ONLY(200), post=OFFICER_OWNER_ONLY(200)),
    # A's practice is locked: the form says so (GET); a save is sent back to the practice
    "practice_edit": Row(get=OFFICER_OWNER_ONLY(200), post=OFFICER_OWNER_ONLY(ELSEWHERE)),
    "practice_photo_add": Row(get=OFFICER_OWNER_ONLY(200), post=OFFICER_OWNER_ONLY(400)),
    "practice_photo_delete": Row(get=every(405), post=OFFICER_OWNER_ONLY(ELSEWHERE)),
    "practice_attachment_add": Row(get=OFFICER_OWNER_ONLY(200),
                                   post=OFFICER_OWNER_ONLY(400)),
    "practice_attachment_delete": Row(get=every(405), post=OFFICER_OWNER_ONLY(ELSEWHERE)),
    "entry_create": Row(get=OFFICER_OWNER_ONLY(200), post=OFFICER_OWNER_ONLY(200)),
    # the review edition is closed for submissions: the owner is refused with a message
    "entry_submit": Row(get=OFFICER_OWNER_ONLY(200), post=OFFICER_OWNER_ONLY(400)),
    "entry_withdraw": Row(get=OFFICER_OWNER_ONLY(200), post=OFFICER_OWNER_ONLY(400)),
    # A's entry is eligible, not a draft: the owner is told it cannot be removed
    "entry_discard": Row(get=OFFICER_OWNER_ONLY(200), post=OFFICER_OWNER_ONLY(400)),
    # A's practice is locked (its entry is received and the edition closed): 409
    "practice_autosave": Row(get=every(405), post=OFFICER_OWNER_ONLY(409)),
    # the criteria of an edition past its draft, for any officer (approved or waiting)
    "officer_criteria": Row(get=(403, 200, 200, 403, 403, 403),
                            post=(403, 200, 200, 403, 403, 403)),
    # practices: files of an unpublished practice, for its officers, assigned jurors and
    # organisers; 404 for everyone else (existence itself is private)
    "practice_photo_file": Row(get=(404, 200, 404, 200, 404, 200),
                               post=(404, 200, 404, 200, 404, 200)),
    "practice_attachment_file": Row(get=(404, 200, 404, 200, 404, 200),
                                    post=(404, 200, 404, 200, 404, 200)),
    # rankings: only organisers, before and after publication
    "organiser_results": Row(get=only_organiser(200), post=only_organiser(200)),
    "organiser_run_start": Row(get=only_organiser(405), post=only_organiser(ELSEWHERE)),
    "organiser_run_progress": Row(get=only_organiser(200), post=only_organiser(200)),
    # an empty POST lacks the confirmation (publish) or the reason (unpublish): refused
    "organiser_run_publish": Row(get=only_organiser(200), post=only_organiser(400)),
    "organiser_run_unpublish": Row(get=only_organiser(200), post=only_organiser(400)),
    # practices: the organiser's entries
    "organiser_entry_editions": Row(get=only_organiser(200, anonymous=403),
                                    post=only_organiser(200, anonymous=403)),
    "organiser_entry_list": Row(get=only_organiser(200, anonymous=403),
                                post=only_organiser(200, anonymous=403)),
    "organiser_entry_export": Row(get=only_organiser(200, anonymous=403),
                                  post=only_organiser(200, anonymous=403)),
    "organiser_entry_decide": Row(get=only_organiser(200, anonymous=403),
                                  post=only_organiser(200, anonymous=403)),
    # jury
    "juror_edition": Row(get=(L, 403, 403, 200, 200, 403), post=(L, 403, 403, 405, 405, 403)),
    "juror_dashboard": Row(get=(L, 403, 403, 200, 200, 403), post=(L, 403, 403, 200, 200, 403)),
    "jury_invitation_accept": Row(get=every(200), post=every(200)),
    "juror_entry": Row(get=only_assigned_juror(200), post=only_assigned_juror(200)),
    "juror_entry [B's entry]": Row(get=(L, 404, 404, 404, 200, 404),
                                   post=(L, 404, 404, 404, 200, 404)),
    "jury_sheet": Row(get=only_assigned_juror(200), post=only_assigned_juror(ELSEWHERE)),
    "jury_sheet [B's entry]": Row(get=(L, 404, 404, 404, 200, 404),
                                  post=(L, 404, 404, 404, 400, 404)),
    "jury_sheet_autosave": Row(get=every(405), post=only_assigned_juror(200)),
    "jury_sheet_reopen": Row(get=every(405), post=only_assigned_juror(ELSEWHERE)),
    # An empty POST leaves `Form(request.POST or None)` unbound: the page again, no errors.
    "jury_sheet_recuse": Row(get=only_assigned_juror(200), post=only_assigned_juror(200)),
    "jury_sheet_recusal_withdraw": Row(get=every(405), post=only_assigned_juror(ELSEWHERE)),
    # the organiser's jury pages
    "organiser_jury_editions": Row(get=only_organiser(200), post=only_organiser(200)),
    "organiser_sheet_audit": Row(get=only_organiser(200), post=only_organiser(200)),
    "organiser_sheet_audit [own sheet]": Row(get=only_organiser(200), post=only_organiser(200)),
    "organiser_jury": Row(get=only_organiser(200), post=only_organiser(200)),
    "organiser_jury_assignments": Row(get=only_organiser(200), post=only_organiser(200)),
    "organiser_jury_assignments_auto": Row(get=every(405), post=only_organiser(400)),
    "organiser_jury_assignments_everyone": Row(get=every(405), post=only_organiser(400)),
    "organiser_jury_assignment_add": Row(get=every(405), post=only_organiser(400)),
    "organiser_jury_assignment_remove": POST_ONLY_ORGANISER,
    "organiser_jury_progress": Row(get=only_organiser(200), post=only_organiser(200)),
    "organiser_jury_reminders": POST_ONLY_ORGANISER,
    # judging rounds: the organiser's rounds, shortlists and the panel's assignments; the
    # site visits of a round (its panel of the area and the organisers; 404 for anyone else)
    "organiser_rounds": Row(get=only_organiser(200), post=only_organiser(200)),
    "organiser_round_add": Row(get=every(405), post=only_organiser(400)),
    # the organisers and the area's chair (juror_assigned; juror_other is on the jury, not
    # its chair) shortlist; round 1 is still being scored, so an empty POST is refused (400)
    "organiser_round_shortlist": Row(get=(L, 403, 403, 200, 403, 200),
                                     post=(L, 403, 403, 400, 403, 400)),
    "organiser_round_shortlist [an area they do not chair]": Row(
        get=only_organiser(200), post=only_organiser(400)),
    "organiser_round_panel_assign": POST_ONLY_ORGANISER,
    "site_visits": Row(get=(L, 404, 404, 200, 200, 200), post=(L, 404, 404, 400, 400, 400)),
    "site_visit_file": Row(get=(404, 404, 404, 200, 200, 200), post=every(405)),
    # the public showcase
    "showcase:list": PUBLIC_GET_ONLY,
    "showcase:feed": PUBLIC_GET_ONLY,
    "showcase:photo": PUBLIC_GET_ONLY,
    "showcase:photo [unpublished]": Row(get=every(404), post=every(405)),
    "showcase:edition": PUBLIC_GET_ONLY,
    "showcase:edition [in review]": Row(get=every(404), post=every(405)),
    "showcase:results_csv": PUBLIC_GET_ONLY,
    "showcase:results_csv [in review]": Row(get=every(404), post=every(405)),
    "showcase:results_json": PUBLIC_GET_ONLY,
    "showcase:results_json [in review]": Row(get=every(404), post=every(405)),
    "showcase:sheets_csv": PUBLIC_GET_ONLY,
    "showcase:sheets_csv [in review]": Row(get=every(404), post=every(405)),
    "showcase:sheets_json": PUBLIC_GET_ONLY,
    "showcase:sheets_json [in review]": Row(get=every(404), post=every(405)),
    "showcase:verify_script": PUBLIC_GET_ONLY,
    # an earlier round's run is downloadable only behind a shortlist of a public edition
    # (tests/scoring/rounds/test_rounds_verification.py: 200 for such a run); the world's
    # runs are not, for anyone
    "showcase:verification_results_json": Row(get=every(404), post=every(405)),
    "showcase:verification_sheets_json": Row(get=every(404), post=every(405)),
    "showcase:practice": PUBLIC_GET_ONLY,
    "showcase:practice [A's unpublished]": Row(get=every(404), post=every(405)),
    # the accessibility statement (issue 17): public, read-only
    "accessibility": PUBLIC_GET_ONLY,
    # privacy: the notice is public; each person's own account and data download; the
    # organisers' notice versions (an empty POST publishes nothing), record of processing,
    # people search and erasure (an empty POST lacks the confirmation)
    "privacy_notice": PUBLIC_GET_ONLY,
    "account": Row(get=(L,) + (200,) * 5, post=(L,) + (405,) * 5),
    "account_data": Row(get=(L,) + (200,) * 5, post=(L,) + (405,) * 5),
    "organiser_privacy": Row(get=only_organiser(200), post=only_organiser(400)),
    "organiser_privacy_processing": Row(get=only_organiser(200), post=only_organiser(405)),
    "organiser_privacy_people": Row(get=only_organiser(200), post=only_organiser(405)),
    "organiser_person_erase": Row(get=only_organiser(200), post=only_organiser(400)),
    # deliberation: chairs and panel settings (organisers); the panel of an area whose
    # scoring has closed, open only to its members who submitted all their own sheets
    # (juror_assigned, its chair; juror_other still has a draft): 404 for everyone else
    "deliberation:organiser": Row(get=only_organiser(200, anonymous=403), post=every(405)),
    # an empty POST names no area of the edition: 404
    "deliberation:chair_appoint": Row(get=every(405), post=only_organiser(404, anonymous=403)),
    "deliberation:settings": Row(get=every(405), post=only_organiser(ELSEWHERE, anonymous=403)),
    "deliberation:panels": Row(get=(L, 403, 403, 200, 200, 403), post=every(405)),
    "deliberation:panel": Row(get=(404, 404, 404, 200, 404, 404),
                              post=(404, 404, 404, 200, 404, 404)),
    "deliberation:panel [scoring still open]": Row(get=every(404), post=every(404)),
    "deliberation:comment": Row(get=every(405), post=(404, 404, 404, ELSEWHERE, 404, 404)),
    "deliberation:decision": Row(get=(404, 404, 404, 200, 404, 404),
                                 post=(404, 404, 404, ELSEWHERE, 404, 404)),
    "deliberation:agreement": Row(get=every(405), post=(404, 404, 404, ELSEWHERE, 404, 404)),
    "deliberation:record": Row(get=every(405), post=(404, 404, 404, ELSEWHERE, 404, 404)),
    # uptake: follow-up reports (B's report of its published practice; A is "other")
    "followup_list": Row(get=(403, 200, 200, 403, 403, 403), post=(403, 200, 200, 403, 403, 403)),
    "followup_edit": Row(get=(L, 200, 404, 404, 404, 404), post=(L, 400, 404, 404, 404, 404)),
    "followup_photo_add": Row(get=(L, 200, 404, 404, 404, 404),
                              post=(L, 400, 404, 404, 404, 404)),
    "practice_sustain": Row(get=OFFICER_OWNER_ONLY(200), post=OFFICER_OWNER_ONLY(200)),
    # a photo of a report not approved: its municipality's officers and the organisers
    "followup_photo_file": Row(get=(404, 200, 404, 404, 404, 200),
                               post=(404, 200, 404, 404, 404, 200)),
    "organiser_followup_list": Row(get=only_organiser(200, anonymous=403),
                                   post=only_organiser(200, anonymous=403)),
    # the report is asked for, not sent: nothing to decide (400)
    "organiser_followup_check": Row(get=only_organiser(200, anonymous=403),
                                    post=only_organiser(400, anonymous=403)),
    # adoption and questions: officers of another municipality than the practice's (A)
    # the practice's own officers are sent back to it (the link is on its shared page)
    "practice_adopt": Row(get=(L, ELSEWHERE, 200, 403, 403, 403),
                          post=(L, ELSEWHERE, 400, 403, 403, 403)),
    "practice_adopt [A's unpublished]": Row(get=(L, *(404,) * 5), post=(L, *(404,) * 5)),
    "practice_ask": Row(get=(L, ELSEWHERE, 200, 403, 403, 403),
                        post=(L, ELSEWHERE, 400, 403, 403, 403)),
    "practice_ask [A's unpublished]": Row(get=(L, *(404,) * 5), post=(L, *(404,) * 5)),
    # A's question to B: both municipalities' officers read it, B's answer; 404 for others
    "question_page": Row(get=(L, 200, 200, 404, 404, 404), post=(L, 200, 200, 404, 404, 404)),
    # two-factor sign-in (everyone here has passed it or owes none: the code page sends
    # them on; tests/accounts/test_second_factor.py holds the sessions that owe it)
    "second_factor_settings": Row(get=(L,) + (200,) * 5, post=(L,) + (405,) * 5),
    "second_factor_verify": Row(get=(L,) + (to("dashboard"),) * 5,
                                post=(L,) + (to("dashboard"),) * 5),
    # the set-up page for anyone signed in; an empty code is refused
    "second_factor_enrol": Row(get=(L,) + (200,) * 5, post=(L,) + (400,) * 5),
    # new recovery codes for whoever has an authenticator (the organiser), shown once
    "second_factor_recovery_codes": Row(
        get=every(405), post=(L,) + (to("second_factor_settings"),) * 4 + (200,)),
    "second_factor_remove": Row(get=every(405), post=(L,) + (to("second_factor_settings"),) * 5),
    "organiser_second_factors": Row(get=only_organiser(200), post=only_organiser(200)),
    "organiser_second_factor_reset": Row(
        get=every(405), post=only_organiser(to("organiser_second_factors"))),
    # give-back: B's published entry (place 1); A's entry of the edition in review: 404 for
    # all but organisers, who preview the run to be published
    "giveback:feedback": Row(get=(L, 200, 404, 404, 404, 200), post=(L,) + (405,) * 5),
    "giveback:feedback [unpublished]": Row(get=(L, 404, 404, 404, 404, 200),
                                           post=(L,) + (405,) * 5),
    "giveback:feedback_pdf": Row(get=(L, 200, 404, 404, 404, 200), post=(L,) + (405,) * 5),
    "giveback:feedback_pdf [unpublished]": Row(get=(L, 404, 404, 404, 404, 200),
                                               post=(L,) + (405,) * 5),
    "giveback:certificate": Row(get=(L, 200, 404, 404, 404, 200), post=(L,) + (405,) * 5),
    "giveback:certificate [unpublished]": Row(get=(L, 404, 404, 404, 404, 200),
                                              post=(L,) + (405,) * 5),
    "giveback:certificates_zip": Row(get=only_organiser(200),
                                     post=only_organiser(405)),
    "giveback:organiser": Row(get=only_organiser(200), post=only_organiser(200)),
    # an empty POST names no comment: refused
    "giveback:organiser_comments": Row(get=only_organiser(200), post=only_organiser(400)),
    "giveback:booklet_regenerate": Row(get=only_organiser(405), post=only_organiser(ELSEWHERE)),
    "giveback:booklet": PUBLIC_GET_ONLY,
    "giveback:booklet [in review]": Row(get=(404,) * 5 + (200,), post=every(405)),
    "giveback:booklet_progress": PUBLIC_GET_ONLY,
    "giveback:booklet_progress [in review]": Row(get=(404,) * 5 + (200,), post=every(405)),
    # library: the regions map and open data
    "showcase:map": PUBLIC_GET_ONLY,
    "showcase:open_data": PUBLIC_GET_ONLY,
    "showcase:dcat": PUBLIC_GET_ONLY,
    "showcase:datapackage": PUBLIC_GET_ONLY,
    "showcase:bulk_csv": PUBLIC_GET_ONLY,
    "showcase:bulk_json": PUBLIC_GET_ONLY,
    # library: the organiser's topics and checks of practices' kinds and topics (an empty
    # POST leaves `Form(request.POST or None)` unbound: the page again, nothing saved)
    "organiser_topics": Row(get=only_organiser(200, anonymous=403),
                            post=only_organiser(200, anonymous=403)),
    "organiser_topic_edit": Row(get=only_organiser(200, anonymous=403),
                                post=only_organiser(200, anonymous=403)),
    "organiser_practice_classification": Row(get=only_organiser(200, anonymous=403),
                                             post=only_organiser(200, anonymous=403)),
}

# The open-data API: the same answer for everyone (no authentication, read-only).
API_PUBLIC = Row(get=every(200), post=every(405))
API_PRIVATE = Row(get=every(404), post=every(405))
API_EXPECTED: dict[str, Row] = {
    "api:api-root": API_PUBLIC,
    "api:schema": API_PUBLIC,
    "api:edition-list": API_PUBLIC,
    "api:edition-detail": API_PUBLIC,
    "api:edition-detail [in review]": API_PRIVATE,
    "api:area-list": API_PUBLIC,
    "api:area-detail": API_PUBLIC,
    "api:area-detail [in review]": API_PRIVATE,
    "api:criterion-list": API_PUBLIC,
    "api:criterion-detail": API_PUBLIC,
    "api:criterion-detail [in review]": API_PRIVATE,
    "api:practice-list": API_PUBLIC,
    "api:practice-detail": API_PUBLIC,
    "api:practice-detail [A's unpublished]": API_PRIVATE,
    "api:result-list": API_PUBLIC,
    "api:result-detail": API_PUBLIC,
    "api:result-detail [unpublished run]": API_PRIVATE,
    # DRF's format-suffix duplicates (`/api/v1/editions.json`): the same views, same rules.
    "api:api-root [.json]": API_PUBLIC,
    "api:edition-list [.json]": API_PUBLIC,
    "api:edition-detail [.json]": API_PUBLIC,
    "api:edition-detail [.json, in review]": API_PRIVATE,
    "api:result-list [.json]": API_PUBLIC,
    "api:topic-list": API_PUBLIC,
    "api:topic-detail": API_PUBLIC,
    "api:topic-detail [only on an unpublished practice]": API_PRIVATE,
}
API_WRITE_METHODS = ("post", "put", "patch", "delete")

# --- how each URL gets its arguments from the world -----------------------------------------
@dataclass(frozen=True)
class Filler:
    kwargs: Callable[[World], dict]
    owner: str = "a"  # whose object it is: officer_owner is the officer of this municipality


def _entry(which: str, owner: str | None = None) -> Filler:
    return Filler(lambda w: {"entry_id": getattr(w, f"entry_{which}").pk}, owner or which)


def _topic(practice):
    """A topic that only `practice` has."""
    from practices.models import Topic

    topic, _created = Topic.objects.get_or_create(
        slug=f"topic-of-{practice.pk}", defaults={"name": f"Тема {practice.pk}"})
    practice.topics.add(topic)
    return topic


REVIEW = Filler(lambda w: {"slug": w.review.slug})
# B's entry of the published edition (its place 1): its feedback report and certificate
_published_entry = Filler(lambda w: {"entry_id": w.published_result.entry_id}, owner="b")
PUBLISHED = Filler(lambda w: {"slug": w.published.slug}, owner="b")

FILLERS: dict[str, Filler] = {
    "password_reset_confirm": Filler(lambda w: {"uidb64": w.reset_uidb64,
                                                "token": w.reset_token}),
    "officer_approve": Filler(lambda w: {"pk": w.pending_officer.pk}),
    "officer_reject": Filler(lambda w: {"pk": w.pending_officer.pk}),
    "jury_invitation_accept": Filler(lambda w: {"token": w.invitation_token}),
    "email_change_confirm": Filler(lambda w: {"token": w.email_change_token}),
    "juror_entry": _entry("a"),
    "juror_entry [B's entry]": _entry("b"),
    "jury_sheet": _entry("a"),
    "jury_sheet [B's entry]": _entry("b"),
    "jury_sheet_autosave": _entry("a"),
    "jury_sheet_reopen": _entry("a"),
    "jury_sheet_recuse": _entry("a"),
    "jury_sheet_recusal_withdraw": _entry("a"),
    "organiser_sheet_audit": Filler(lambda w: {"sheet_id": w.sheet_third_a.pk}),
    "organiser_sheet_audit [own sheet]": Filler(lambda w: {"sheet_id": w.sheet_assigned.pk}),
    "organiser_jury": REVIEW,
    "practice_detail": Filler(lambda w: {"pk": w.practice_a.pk}),
    "practice_edit": Filler(lambda w: {"pk": w.practice_a.pk}),
    "practice_photo_add": Filler(lambda w: {"pk": w.practice_a.pk}),
    "practice_photo_delete": Filler(lambda w: {"pk": w.practice_a.pk,
                                               "item_pk": w.private_photo.pk}),
    "practice_attachment_add": Filler(lambda w: {"pk": w.practice_a.pk}),
    "practice_attachment_delete": Filler(lambda w: {"pk": w.practice_a.pk,
                                                    "item_pk": w.attachment_a.pk}),
    "entry_create": Filler(lambda w: {"pk": w.practice_a.pk}),
    "entry_submit": Filler(lambda w: {"pk": w.entry_a.pk}),
    "entry_withdraw": Filler(lambda w: {"pk": w.entry_a.pk}),
    "entry_discard": Filler(lambda w: {"pk": w.entry_a.pk}),
    "practice_autosave": Filler(lambda w: {"pk": w.practice_a.pk}),
    "juror_edition": REVIEW,
    "officer_criteria": Filler(lambda w: {"slug": w.review.slug}),
    "practice_photo_file": Filler(lambda w: {"item_pk": w.private_photo.pk}),
    "practice_attachment_file": Filler(lambda w: {"item_pk": w.attachment_a.pk}),
    "organiser_entry_list": REVIEW,
    "organiser_edition_console": REVIEW,
    "organiser_edition_move": REVIEW,
    "organiser_edition_unlock": REVIEW,
    "organiser_results": REVIEW,
    "organiser_run_start": REVIEW,
    "organiser_run_progress": Filler(lambda w: {"slug": w.review.slug,
                                                "run_id": w.private_run.pk}),
    "organiser_run_publish": Filler(lambda w: {"slug": w.review.slug,
                                               "run_id": w.private_run.pk}),
    "organiser_run_unpublish": Filler(lambda w: {"slug": w.review.slug,
                                                 "run_id": w.private_run.pk}),
    "organiser_entry_export": REVIEW,
    "organiser_entry_decide": Filler(lambda w: {"pk": w.entry_a.pk}),
    "organiser_jury_assignments": REVIEW,
    "organiser_jury_assignments_auto": REVIEW,
    "organiser_jury_assignments_everyone": REVIEW,
    "organiser_jury_assignment_add": REVIEW,
    "organiser_jury_assignment_remove": Filler(
        lambda w: {"slug": w.review.slug, "assignment_id": w.spare_assignment.pk}),
    "organiser_jury_progress": REVIEW,
    "organiser_jury_reminders": REVIEW,
    "organiser_rounds": REVIEW,
    "organiser_round_add": REVIEW,
    "organiser_round_shortlist": Filler(lambda w: {"slug": w.review.slug, "number": 2,
                                                   "area_id": w.entry_a.area_id}),
    "organiser_round_shortlist [an area they do not chair]": Filler(
        lambda w: {"slug": w.review.slug, "number": 2, "area_id": w.unchaired_area.pk}),
    "organiser_round_panel_assign": Filler(lambda w: {"slug": w.review.slug, "number": 2,
                                                      "area_id": w.entry_a.area_id}),
    "site_visits": Filler(lambda w: {"slug": w.review.slug, "number": 1,
                                     "entry_id": w.entry_a.pk}),
    "site_visit_file": Filler(lambda w: {"visit_id": w.site_visit.pk}),
    "showcase:photo": Filler(lambda w: {"pk": w.published_photo.pk}, owner="b"),
    "showcase:photo [unpublished]": Filler(lambda w: {"pk": w.private_photo.pk}),
    "showcase:edition": PUBLISHED,
    "showcase:edition [in review]": REVIEW,
    "showcase:results_csv": PUBLISHED,
    "showcase:results_csv [in review]": REVIEW,
    "showcase:results_json": PUBLISHED,
    "showcase:results_json [in review]": REVIEW,
    "showcase:sheets_csv": PUBLISHED,
    "showcase:sheets_csv [in review]": REVIEW,
    "showcase:sheets_json": PUBLISHED,
    "showcase:sheets_json [in review]": REVIEW,
    "showcase:verification_results_json": Filler(
        lambda w: {"slug": w.review.slug, "run_id": w.private_run.pk}),
    "showcase:verification_sheets_json": Filler(
        lambda w: {"slug": w.review.slug, "run_id": w.private_run.pk}),
    "showcase:practice": Filler(lambda w: {"pk": w.published_practice.pk}, owner="b"),
    "showcase:practice [A's unpublished]": Filler(lambda w: {"pk": w.practice_a.pk}),
    "api:edition-detail": PUBLISHED,
    "api:edition-detail [in review]": REVIEW,
    "api:area-detail": Filler(lambda w: {"pk": w.published_result.area_id}, owner="b"),
    "api:area-detail [in review]": Filler(lambda w: {"pk": w.entry_a.area_id}),
    "api:criterion-detail": Filler(lambda w: {"pk": w.published.criteria.first().pk}, "b"),
    "api:criterion-detail [in review]": Filler(lambda w: {"pk": w.review.criteria.first().pk}),
    "api:practice-detail": Filler(lambda w: {"pk": w.published_practice.pk}, owner="b"),
    "api:practice-detail [A's unpublished]": Filler(lambda w: {"pk": w.practice_a.pk}),
    "api:result-detail": Filler(lambda w: {"pk": w.published_result.pk}, owner="b"),
    "api:result-detail [unpublished run]": Filler(lambda w: {"pk": w.private_result.pk}),
    "api:api-root [.json]": Filler(lambda w: {"format": "json"}),
    "api:edition-list [.json]": Filler(lambda w: {"format": "json"}),
    "api:edition-detail [.json]": Filler(lambda w: {"slug": w.published.slug,
                                                    "format": "json"}, owner="b"),
    "api:edition-detail [.json, in review]": Filler(lambda w: {"slug": w.review.slug,
                                                               "format": "json"}),
    "api:result-list [.json]": Filler(lambda w: {"format": "json"}),
    "organiser_person_erase": Filler(lambda w: {"pk": w.pending_officer.pk}),
    "organiser_second_factor_reset": Filler(lambda w: {"pk": w.officer_b.pk}),
    "giveback:feedback": _published_entry,
    "giveback:feedback [unpublished]": _entry("a"),
    "giveback:feedback_pdf": _published_entry,
    "giveback:feedback_pdf [unpublished]": _entry("a"),
    "giveback:certificate": _published_entry,
    "giveback:certificate [unpublished]": _entry("a"),
    "giveback:certificates_zip": PUBLISHED,
    "giveback:organiser": PUBLISHED,
    "giveback:organiser_comments": Filler(
        lambda w: {"slug": w.published.slug, "entry_id": w.published_result.entry_id}, "b"),
    "giveback:booklet_regenerate": PUBLISHED,
    "giveback:booklet": Filler(lambda w: {"slug": w.published.slug, "language": "en"}, "b"),
    "giveback:booklet [in review]": Filler(lambda w: {"slug": w.review.slug,
                                                      "language": "en"}),
    "giveback:booklet_progress": Filler(lambda w: {"slug": w.published.slug,
                                                   "language": "bg"}, "b"),
    "giveback:booklet_progress [in review]": Filler(lambda w: {"slug": w.review.slug,
                                                               "language": "bg"}),
    "api:topic-detail": Filler(lambda w: {"slug": _topic(w.published_practice).slug}, "b"),
    "api:topic-detail [only on an unpublished practice]": Filler(
        lambda w: {"slug": _topic(w.practice_a).slug}),
    "organiser_topic_edit": Filler(lambda w: {"pk": _topic(w.practice_a).pk}),
    "organiser_practice_classification": Filler(lambda w: {"pk": w.practice_a.pk}),
}
FILLERS.update({
    "followup_edit": Filler(lambda w: {"pk": w.follow_up.pk}, owner="b"),
    "followup_photo_add": Filler(lambda w: {"pk": w.follow_up.pk}, owner="b"),
    "practice_sustain": Filler(lambda w: {"pk": w.published_practice.pk}, owner="b"),
    "followup_photo_file": Filler(lambda w: {"item_pk": w.follow_up_photo.pk}, owner="b"),
    "organiser_followup_check": Filler(lambda w: {"pk": w.follow_up.pk}, owner="b"),
    "practice_adopt": Filler(lambda w: {"pk": w.published_practice.pk}, owner="b"),
    "practice_adopt [A's unpublished]": Filler(lambda w: {"pk": w.practice_a.pk}),
    "practice_ask": Filler(lambda w: {"pk": w.published_practice.pk}, owner="b"),
    "practice_ask [A's unpublished]": Filler(lambda w: {"pk": w.practice_a.pk}),
    "question_page": Filler(lambda w: {"pk": w.question.pk}, owner="b"),
    "deliberation:organiser": Filler(lambda w: {"slug": w.panel_area.edition.slug}),
    "deliberation:chair_appoint": Filler(lambda w: {"slug": w.panel_area.edition.slug}),
    "deliberation:settings": Filler(lambda w: {"slug": w.panel_area.edition.slug}),
    "deliberation:panel": Filler(lambda w: {"area_id": w.panel_area.pk}),
    "deliberation:panel [scoring still open]": Filler(
        lambda w: {"area_id": w.entry_a.area_id}),
    "deliberation:comment": Filler(lambda w: {"area_id": w.panel_area.pk,
                                              "entry_id": w.panel_entry.pk}),
    "deliberation:decision": Filler(lambda w: {"area_id": w.panel_area.pk}),
    "deliberation:agreement": Filler(lambda w: {"area_id": w.panel_area.pk,
                                                "decision_id": w.panel_decision.pk}),
    "deliberation:record": Filler(lambda w: {"area_id": w.panel_area.pk,
                                             "decision_id": w.panel_decision.pk}),
})
NO_ARGUMENTS = Filler(lambda w: {})


def url_name(key: str) -> str:
    return key.split(" [", 1)[0]


def url_for(key: str, world: World) -> tuple[str, str]:
    filler = FILLERS.get(key, NO_ARGUMENTS)
    return reverse(url_name(key), kwargs=filler.kwargs(world)), filler.owner


def matches(expected, outcome: str) -> bool:
    if expected == ELSEWHERE:
        return outcome.startswith("302→") and outcome not in (L, ADMIN_LOGIN)
    return str(expected) == outcome


def format_mismatches(mismatches: list[tuple]) -> str:
    lines = [f"{len(mismatches)} mismatches (key, method, role, url: expected != actual):"]
    lines += [f"  {key:<42} {method:<6} {role:<15} {url}: {expected} != {actual}"
              for key, method, role, url, expected, actual in mismatches]
    return "\n".join(lines)


def _report(terminal: str) -> None:
    print(f"\n[permission matrix] {terminal}")  # noqa: T201 - the figures for the report


def secrets_leaked(world: World, role: str, answer) -> list[str]:
    if answer.status != 200:
        return []
    return [secret for secret, readers in world.secrets.items()
            if role not in readers and secret in answer.body]


# --- the tests ------------------------------------------------------------------------------
def test_every_url_pattern_is_in_the_permission_table():
    known = {url_name(key) for key in EXPECTED} | {url_name(key) for key in API_EXPECTED}
    routes = url_patterns()
    missing = [f"new URL {route.name} {route.route}: add it to the permission table"
               for route in routes if not route.is_admin and route.name not in known]
    admin_count = sum(route.is_admin for route in routes)
    _report(f"URL patterns: {len(routes)} ({admin_count} admin, checked coarsely; "
            f"{sum(route.is_format_suffix for route in routes)} DRF format suffixes; "
            f"{len({route.name for route in routes if not route.is_admin})} URL names "
            "outside the admin)")
    assert missing == []


def test_every_table_entry_is_a_url_of_the_project():
    names = {route.name for route in url_patterns()}
    stale = sorted(key for key in [*EXPECTED, *API_EXPECTED, *FILLERS]
                   if url_name(key) not in names)
    assert stale == []


def test_admin_urls_are_all_under_the_admin_namespace():
    """Admin URLs are checked coarsely (test_admin_*); make sure nothing else hides there."""
    strays = [route for route in url_patterns()
              if route.is_admin and route.name is not None and not route.name.startswith(
                  "admin:")]
    assert strays == []


def test_permission_matrix_of_every_page(world_db):
    mismatches, leaks, asked = [], [], 0
    for key, row in EXPECTED.items():
        url, owner = url_for(key, world_db)
        for method, expected_row in (("GET", row.get), ("POST", row.post)):
            for role, expected in zip(ROLES, expected_row, strict=True):
                answer = ask(world_db.user_for(role, owner=owner), method, url)
                asked += 1
                if not matches(expected, answer.outcome()):
                    mismatches.append((key, method, role, url, expected, answer.outcome()))
                leaks += [f"{key} {method} as {role}: {secret}"
                          for secret in secrets_leaked(world_db, role, answer)]
    names = {url_name(key) for key in EXPECTED}
    _report(f"pages: {len(names)} URL names ({len(EXPECTED)} rows with variants) x "
            f"{len(ROLES)} roles x 2 methods = {asked} requests")
    assert (mismatches, leaks) == ([], []), (format_mismatches(mismatches)
                                             + "\nsecrets leaked:\n  " + "\n  ".join(leaks))


def test_secrets_show_to_their_readers(world_db):
    """The control of the leak check above: the markers do appear where they may, so their
    absence elsewhere means something."""
    audit = reverse("organiser_sheet_audit", args=[world_db.sheet_third_a.pk])
    own_sheet = reverse("jury_sheet", args=[world_db.entry_a.pk])
    organiser = ask(world_db.users["organiser"], "GET", audit)
    juror = ask(world_db.users["juror_assigned"], "GET", own_sheet)
    assert ("SECRET-juror_third-A" in organiser.body,
            "SECRET-juror_assigned-A" in juror.body) == (True, True)
    assert secrets_leaked(world_db, "juror_assigned", juror) == []


def test_every_post_without_a_csrf_token_is_refused(world_db):
    """With CSRF checks on, a POST without the token never reaches a view (403), whoever
    sends it: a state-changing form cannot be submitted from another site."""
    refused, asked = [], 0
    keys = [key for key in EXPECTED if "[" not in key]
    for key in keys:
        url, owner = url_for(key, world_db)
        for role in ROLES:
            answer = ask(world_db.user_for(role, owner=owner), "POST", url, csrf=True)
            asked += 1
            if answer.status != 403:
                refused.append((key, "POST", role, url, 403, answer.outcome()))
    for url in (reverse("admin:login"), reverse("admin:index")):
        for role in ROLES:
            answer = ask(world_db.user_for(role), "POST", url, csrf=True)
            asked += 1
            if answer.status != 403:
                refused.append((url, "POST", role, url, 403, answer.outcome()))
    _report(f"CSRF: {len(keys) + 2} URLs x {len(ROLES)} roles x POST = {asked} requests")
    assert refused == [], format_mismatches(refused)


def test_api_matrix_is_read_only_and_public_data_only(world_db):
    mismatches, asked = [], 0
    for key, row in API_EXPECTED.items():
        url, owner = url_for(key, world_db)
        for role, expected in zip(ROLES, row.get, strict=True):
            answer = ask(world_db.user_for(role, owner=owner), "GET", url)
            asked += 1
            if not matches(expected, answer.outcome()):
                mismatches.append((key, "GET", role, url, expected, answer.outcome()))
        for method in API_WRITE_METHODS:
            for role, expected in zip(ROLES, row.post, strict=True):
                answer = ask(world_db.user_for(role, owner=owner), method, url,
                             content_type="application/json")
                asked += 1
                if answer.status not in (403, 405) or not matches(expected, answer.outcome()):
                    mismatches.append((key, method.upper(), role, url, expected,
                                       answer.outcome()))
    _report(f"API: {len({url_name(key) for key in API_EXPECTED})} URL names "
            f"({len(API_EXPECTED)} rows) x {len(ROLES)} roles x "
            f"(GET + {len(API_WRITE_METHODS)} writes) = "
            f"{asked} requests")
    assert mismatches == [], format_mismatches(mismatches)


def test_api_lists_hold_no_unpublished_object(world_db):
    """The lists answer 200 to everyone; what they list must be published only."""
    private = {"api:edition-list": world_db.review.slug,
               "api:practice-list": world_db.practice_a.title_en,
               "api:result-list": "9.12345"}
    leaked = []
    for name, needle in private.items():
        for role in ROLES:
            answer = ask(world_db.user_for(role), "GET", reverse(name))
            if answer.status != 200 or needle in answer.body:
                leaked.append((name, role, answer.status))
    assert leaked == []


def _admin_urls() -> list[str]:
    return [reverse("admin:index"), *(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry)]


# Registered in the admin but outside the organiser's rules: groups (roles come from the rules,
# not from groups) and django-axes' records of sign-in attempts (a superuser's business).
ADMIN_SUPERUSER_ONLY = ("auth_group", "axes_accessattempt", "axes_accesslog",
                        "axes_accessfailurelog")


def test_admin_only_the_organiser_gets_in(world_db):
    """Everyone but the organiser is sent to the admin's sign-in page; the organiser sees
    the index and the changelist of every model the rules let organisers manage."""
    mismatches, urls = [], _admin_urls()
    superuser_only = {reverse(f"admin:{name}_changelist") for name in ADMIN_SUPERUSER_ONLY}
    for url in urls:
        for role in ROLES:
            answer = ask(world_db.user_for(role), "GET", url)
            expected = ADMIN_LOGIN
            if role == "organiser":
                expected = 403 if url in superuser_only else 200
            if not matches(expected, answer.outcome()):
                mismatches.append(("admin", "GET", role, url, expected, answer.outcome()))
            leaks = secrets_leaked(world_db, role, answer)
            if leaks:
                mismatches.append(("admin", "GET", role, url, "no secrets", leaks))
    _report(f"admin: {len(urls)} URLs (index + changelists) x {len(ROLES)} roles x GET = "
            f"{len(urls) * len(ROLES)} requests")
    assert mismatches == [], format_mismatches(mismatches)


# Forms anyone may send without signing in that are not throttled, and why.
NOT_THROTTLED = {
    "set_language": "changes only the visitor's own language cookie",
    "logout": "ends only the visitor's own session",
}


def _anonymous_may_post(row: Row) -> bool:
    outcome = row.post[ROLES.index("anonymous")]
    return outcome not in (L, ADMIN_LOGIN) and (outcome in (ELSEWHERE, 200)
                                                 or str(outcome).startswith("302→"))


def test_every_form_anyone_may_send_is_throttled(world_db, settings):
    """Generated from the table like the matrix: every URL an anonymous visitor may POST to
    (its anonymous POST is served, not refused) answers 429 once over its limit, unless
    NOT_THROTTLED says why not; the admin's sign-in form too. A new anonymous form without
    a throttle fails here."""
    from django.conf import settings as django_settings
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client

    for name in dir(django_settings):
        if name.startswith("THROTTLE_"):
            setattr(settings, name, "1/h")
    keys = [key for key, row in EXPECTED.items()
            if "[" not in key and _anonymous_may_post(row)]
    urls = {key: url_for(key, world_db)[0] for key in keys if key not in NOT_THROTTLED}
    urls["admin:login"] = reverse("admin:login")
    unthrottled = {}
    for key, url in urls.items():
        client, statuses = Client(), []
        for _ in range(2):
            with transaction.atomic():
                statuses.append(client.post(url, {}, REMOTE_ADDR="192.0.2.99").status_code)
                transaction.set_rollback(True)
        cache.clear()
        if statuses[-1] != 429:
            unthrottled[key] = statuses
    _report(f"throttles: {len(urls)} forms anyone may send, each refused over its limit; "
            f"{len(NOT_THROTTLED)} not throttled on purpose")
    assert sorted(urls) and unthrottled == {}
    assert set(NOT_THROTTLED) <= set(keys)
