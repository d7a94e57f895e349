"""The organiser's audit log: who changed which edition, criterion, practice, entry
(eligibility), jury sheet or score, who published or unpublished results, who lifted a
sign-in lockout, who (or the dates) moved an edition's phase and who unlocked its set-up,
who asked for and confirmed a change of e-mail address, who assigned an entry to a juror or
took it away, who joined the jury and for which areas, who approved or rejected an officer,
who changed the rubric, who added or removed a practice's photos and attachments, who made
a person an organiser or an administrator, deactivated an account or moved an officer to
another municipality, who started a ranking run with which method, who published a version
of the privacy notice, who erased a person's data and what the retention task removed, who
checked a follow-up report and who recorded an adoption; when, and the old and new values.
Read from django-simple-history's records and the events recorded by their own models
(publications, unlocks, officers' decisions, runs, privacy events, the notice's versions),
with a fixed number of queries per page."""

from dataclasses import dataclass, field
from datetime import datetime
from heapq import merge

from django.db.models import Model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.enums import OfficerStatus
from accounts.models import (
    ROLE_FIELDS,
    EmailChange,
    PrivacyEvent,
    PrivacyNotice,
    SecondFactorEvent,
    SignInUnlock,
    User,
)
from competitions.models import (
    Criterion,
    Edition,
    PhaseTransition,
    RubricLevel,
    SetupUnlock,
    ThematicArea,
)
from practices.models import Attachment, Entry, Photo, Practice
from scoring.models import (
    Assignment,
    JuryMember,
    JurySheet,
    PublicationEvent,
    RankingRun,
    SheetScore,
)
from uptake.models import Adoption, FollowUpReport

PAGE_SIZE = 50
TEXT_LIMIT = 160


@dataclass(frozen=True)
class AuditedModel:
    model: type[Model]
    label: object
    fields: tuple[str, ...]
    related: tuple[str, ...] = ()
    # Many-to-many fields recorded with each record (simple_history's `m2m_fields`): the
    # field, the target's field shown, and what an empty set means.
    m2m: tuple[tuple[str, str, object], ...] = ()


AUDITED: dict[str, AuditedModel] = {
    "edition": AuditedModel(Edition, _("Edition"), (
        "title", "phase", "submissions_open_at", "submissions_close_at", "review_open_at",
        "review_close_at", "scale_min", "scale_max", "min_sheets_per_entry",
        "max_entries_per_area", "eligibility_months")),
    "area": AuditedModel(ThematicArea, _("Thematic area"), ("code", "title", "awards"),
                         ("edition",)),
    "criterion": AuditedModel(Criterion, _("Criterion"), ("title", "weight", "order"),
                              ("edition",)),
    "practice": AuditedModel(Practice, _("Practice"), (
        "title", "summary", "problem", "actions", "results", "implemented_on", "is_sustained",
        "upgraded_on"), ("municipality",)),
    "entry": AuditedModel(Entry, _("Entry"), (
        "status", "eligibility_reason", "submitted_at", "withdrawn_at"),
        ("practice", "area")),
    "sheet": AuditedModel(JurySheet, _("Jury sheet"), (
        "status", "recused", "recusal_reason", "overall_comment"),
        ("entry__practice", "juror")),
    "score": AuditedModel(SheetScore, _("Score"), ("value", "comment"),
                          ("sheet__entry__practice", "sheet__juror", "criterion")),
    "assignment": AuditedModel(Assignment, _("Assignment"), (), ("entry__practice", "juror")),
    "jury": AuditedModel(JuryMember, _("Jury membership"), ("accepted_at",), ("edition", "user"),
                         (("areas", "code", _("all areas")),)),
    "rubric": AuditedModel(RubricLevel, _("Rubric level"), (
        "score", "description", "description_en"), ("criterion__edition",)),
    "photo": AuditedModel(Photo, _("Photo"), ("caption", "alt_text", "order"), ("practice",)),
    "attachment": AuditedModel(Attachment, _("Attachment"), ("title", "original_name", "size"),
                               ("practice",)),
    "role": AuditedModel(User, _("Role of a person"), ROLE_FIELDS, ("municipality",)),
    "followup": AuditedModel(FollowUpReport, _("Follow-up report"), (
        "status", "state", "rejection_reason"), ("practice",)),
    "adoption": AuditedModel(Adoption, _("Adoption"), ("kind", "adopted_on", "note"),
                             ("practice", "municipality")),
}
# Events recorded by their own models rather than by history: kind -> label.
EVENTS = {"publication": _("Publication of results"), "unlock": _("Sign-in unlock"),
          "email": _("Change of e-mail address"), "phase": _("Phase of an edition"),
          "setup": _("Set-up unlock"), "officer": _("Officer approval"),
          "run": _("Ranking run started"), "privacy": _("Personal data"),
          "notice": _("Privacy notice"), "second_factor": _("Second factor")}
KINDS = [*AUDITED, *EVENTS]


@dataclass
class AuditRow:
    at: datetime
    who: object
    action: str  # "+" created, "~" changed, "-" deleted, or a publication action
    kind: str
    kind_label: object
    subject: str
    changes: list[tuple[str, object, object]] = field(default_factory=list)

    @property
    def who_name(self) -> str:
        """The person's name, or empty for a change made by the system (a task, a command)."""
        if self.who is None:
            return ""
        return self.who.get_full_name() or self.who.get_username()


def _shown(model: type[Model], name: str, value):
    if value is None or value == "":
        return "—"
    field_ = model._meta.get_field(name)
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    text = str(value)
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + "…"


def _deleted(model: type[Model], pk) -> str:
    return gettext("deleted %(thing)s #%(id)s") % {"thing": model._meta.verbose_name, "id": pk}


def _related(record, name: str, text) -> str:
    """What a historical record points to, or "deleted practice #12" when that object is gone
    (history keeps the id, not the object): the log never fails on what was deleted since."""
    target = getattr(record, name)
    if target is None:
        field_ = type(record)._meta.get_field(name)
        return _deleted(field_.related_model, getattr(record, field_.attname))
    return text(target)


def _person(user) -> str:
    return user.get_full_name() or str(user)


def _practice_title(record) -> str:
    return _related(record, "practice", lambda p: p.title)


def _entry_and_juror(record) -> str:
    return (f"{_related(record, 'entry', lambda e: e.practice.title)} · "
            f"{_related(record, 'juror', _person)}")


def _score_subject(record) -> str:
    sheet = _related(record, "sheet", lambda s: f"{s.entry.practice.title} · {_person(s.juror)}")
    return f"{sheet} · {_related(record, 'criterion', lambda c: c.display_title)}"


def _rubric_subject(record) -> str:
    criterion = _related(record, "criterion", lambda c: f"{c.edition.slug} · {c.display_title}")
    return f"{criterion} · {record.score}"


def _edition_part_subject(record) -> str:
    return f"{_related(record, 'edition', lambda e: e.slug)} · {record.title}"


# What each audited kind's row names, from its historical record (an edition by default).
_SUBJECTS = {
    "entry": lambda r: f"{_practice_title(r)} ({_related(r, 'area', lambda a: a.code)})",
    "sheet": _entry_and_juror,
    "score": _score_subject,
    "assignment": _entry_and_juror,
    "jury": lambda r: (f"{_related(r, 'edition', lambda e: e.slug)} · "
                       f"{_related(r, 'user', _person)}"),
    "rubric": _rubric_subject,
    "photo": lambda r: f"{_practice_title(r)} · {r.caption or r.image}",
    "attachment": lambda r: f"{_practice_title(r)} · {r.title or r.original_name}",
    "role": lambda r: r.username,
    "followup": lambda r: f"{_practice_title(r)} · +{r.months}",
    "adoption": lambda r: (f"{_practice_title(r)} · "
                           f"{_related(r, 'municipality', lambda m: m.display_name)}"),
    "practice": lambda r: (f"{r.title} · "
                           f"{_related(r, 'municipality', lambda m: m.display_name)}"),
    "area": _edition_part_subject,
    "criterion": _edition_part_subject,
}


def _subject(kind: str, record) -> str:
    return _SUBJECTS.get(kind, lambda r: f"{r.slug} · {r.title}")(record)


def _history_rows(kind: str, limit: int) -> list[AuditRow]:
    """The newest `limit` records of one audited model, each with what it changed against
    the record before it for the same object: two queries."""
    audited = AUDITED[kind]
    history = audited.model.history
    records = list(history.select_related("history_user", *audited.related)
                   .order_by("-history_date", "-history_id")[:limit])
    if not records:
        return []
    earlier = history.filter(id__in={r.id for r in records},
                             history_date__lte=records[0].history_date)
    relations = [name for name in audited.fields
                 if audited.model._meta.get_field(name).is_relation]
    by_object: dict[int, list] = {}
    for record in earlier.select_related(*relations).order_by("history_date", "history_id").only(
            "id", "history_id", "history_date", *audited.fields):
        by_object.setdefault(record.id, []).append(record)
    m2m = _m2m_values(audited, by_object)
    rows = []
    for record in records:
        timeline = by_object.get(record.id, [])
        ids = [r.history_id for r in timeline]
        position = ids.index(record.history_id) if record.history_id in ids else -1
        previous = timeline[position - 1] if position > 0 else None
        changes = []
        for name in audited.fields:
            new = getattr(record, name)
            old = getattr(previous, name) if previous is not None else None
            if previous is None and record.history_type == "+" and new in ("", None, False):
                continue
            if previous is None or old != new:
                if record.history_type == "-":
                    continue
                changes.append((str(audited.model._meta.get_field(name).verbose_name),
                                _shown(audited.model, name, old) if previous else "—",
                                _shown(audited.model, name, new)))
        changes.extend(_m2m_changes(audited, m2m, record, previous))
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing audited
        rows.append(AuditRow(at=record.history_date, who=record.history_user,
                             action=record.history_type, kind=kind,
                             kind_label=audited.label, subject=_subject(kind, record),
                             changes=changes))
    return rows


def _m2m_values(audited: AuditedModel, by_object: dict[int, list]) -> dict:
    """{(field, history_id): sorted shown values} for every record read: one query per
    many-to-many field, however many records."""
    values: dict = {}
    history_ids = [r.history_id for timeline in by_object.values() for r in timeline]
    historical = audited.model.history.model
    for name, shown, _empty in audited.m2m:
        target = audited.model._meta.get_field(name).m2m_reverse_field_name()
        through = historical._meta.apps.get_model(historical._meta.app_label,
                                                  f"{historical.__name__}_{name}")
        for history_id, target_id, text in through.objects.filter(
                history_id__in=history_ids).values_list(
                "history_id", f"{target}_id", f"{target}__{shown}"):
            values.setdefault((name, history_id), []).append(
                text if text is not None else f"#{target_id}")
    return values


def _m2m_changes(audited: AuditedModel, values: dict, record, previous):
    if record.history_type == "-":
        return []
    changes = []
    for name, _shown_field, empty in audited.m2m:
        new = sorted(values.get((name, record.history_id), []))
        old = sorted(values.get((name, previous.history_id), [])) if previous else None
        if old == new or (previous is None and not new):
            continue
        label = str(audited.model._meta.get_field(name).verbose_name)
        changes.append((label, ", ".join(old) or str(empty) if previous else "—",
                        ", ".join(new) or str(empty)))
    return changes


def _publication_rows(limit: int) -> list[AuditRow]:
    events = (PublicationEvent.objects.select_related("by", "run__edition")
              .order_by("-at", "-id")[:limit])
    return [AuditRow(at=event.at, who=event.by, action=event.get_action_display(),
                     kind="publication", kind_label=EVENTS["publication"],
                     subject=f"{event.run.edition.slug} · #{event.run_id} "
                             f"({event.run.get_method_display()})",
                     changes=_publication_changes(event))
            for event in events]


def _publication_changes(event: PublicationEvent) -> list[tuple]:
    changes = [(gettext("reason"), "—", event.reason)] if event.reason else []
    if event.notice:  # what the municipalities' officers were e-mailed, and how many
        label = PublicationEvent._meta.get_field("notice").verbose_name
        changes.append((str(label), "—", f"{event.get_notice_display()} ({event.notified})"))
    return changes


def _unlock_rows(limit: int) -> list[AuditRow]:
    events = SignInUnlock.objects.select_related("by").order_by("-at", "-id")[:limit]
    return [AuditRow(at=event.at, who=event.by, action=gettext("unlocked"), kind="unlock",
                     kind_label=EVENTS["unlock"],
                     subject=f"{event.username} · {event.ip_address or '—'}",
                     changes=[(gettext("failed sign-ins"), str(event.failures), "0")])
            for event in events]


def _email_change_rows(limit: int) -> list[AuditRow]:
    """Each request (by whom it was asked) and each confirmation (by the person, from the
    old address): two queries."""
    def row(change: EmailChange, at, who, action: str) -> AuditRow:
        return AuditRow(at=at, who=who, action=action, kind="email",
                        kind_label=EVENTS["email"], subject=change.user.get_username(),
                        changes=[(gettext("e-mail"), change.old_email, change.new_email)])

    changes = EmailChange.objects.select_related("user", "requested_by")
    requested = [row(c, c.requested_at, c.requested_by, gettext("requested"))
                 for c in changes.order_by("-requested_at", "-id")[:limit]]
    confirmed = [row(c, c.confirmed_at, c.user, gettext("confirmed"))
                 for c in changes.filter(confirmed_at__isnull=False)
                 .order_by("-confirmed_at", "-id")[:limit]]
    return list(merge(requested, confirmed, key=lambda r: r.at, reverse=True))[:limit]


def _phase_rows(limit: int) -> list[AuditRow]:
    """Every move of an edition's phase (by nobody: the dates, through the beat task)."""
    moves = PhaseTransition.objects.select_related("by", "edition").order_by("-at", "-id")
    return [AuditRow(at=move.at, who=move.by, action="~", kind="phase",
                     kind_label=EVENTS["phase"], subject=f"{move.edition.slug} · "
                                                         f"{move.edition.title}",
                     changes=[(gettext("phase"), move.get_source_display(),
                               move.get_target_display())]
                     + ([(gettext("reason"), "—", move.reason)] if move.reason else []))
            for move in moves[:limit]]


def _setup_unlock_rows(limit: int) -> list[AuditRow]:
    unlocks = SetupUnlock.objects.select_related("by", "edition").order_by("-at", "-id")
    return [AuditRow(at=unlock.at, who=unlock.by, action=gettext("unlocked"), kind="setup",
                     kind_label=EVENTS["setup"],
                     subject=f"{unlock.edition.slug} · {unlock.edition.title}",
                     changes=[(gettext("reason"), "—", unlock.reason)])
            for unlock in unlocks[:limit]]


def _officer_rows(limit: int) -> list[AuditRow]:
    """Each officer's request approved or rejected, by whom (a decision is final: the
    person's own record holds it)."""
    decided = (User.objects.filter(officer_decided_at__isnull=False)
               .select_related("officer_decided_by", "municipality")
               .order_by("-officer_decided_at", "-id")[:limit])
    label = str(User._meta.get_field("officer_status").verbose_name)

    def subject(officer: User) -> str:
        place = officer.municipality.display_name if officer.municipality else "—"
        return f"{officer.get_username()} · {place}"

    return [AuditRow(at=officer.officer_decided_at, who=officer.officer_decided_by, action="~",
                     kind="officer", kind_label=EVENTS["officer"], subject=subject(officer),
                     changes=[(label, str(OfficerStatus.PENDING.label),
                               officer.get_officer_status_display())])
            for officer in decided]


def _run_rows(limit: int) -> list[AuditRow]:
    """Every ranking run started, by whom (nobody: a command), with which method."""
    runs = (RankingRun.objects.select_related("requested_by", "edition")
            .only("id", "created_at", "method", "requested_by", "edition__slug")
            .order_by("-created_at", "-id")[:limit])
    label = str(RankingRun._meta.get_field("method").verbose_name)
    return [AuditRow(at=run.created_at, who=run.requested_by, action=gettext("started"),
                     kind="run", kind_label=EVENTS["run"],
                     subject=f"{run.edition.slug} · #{run.pk}",
                     changes=[(label, "—", run.get_method_display())])
            for run in runs]


def _privacy_rows(limit: int) -> list[AuditRow]:
    """Each erasure on request (by an organiser) and each removal by the retention task (by
    nobody), under a pseudonym or an id: the log never names an erased or removed person."""
    events = PrivacyEvent.objects.select_related("by").order_by("-at", "-id")[:limit]
    return [AuditRow(at=event.at, who=event.by, action=event.get_kind_display(),
                     kind="privacy", kind_label=EVENTS["privacy"], subject=event.subject,
                     changes=[(gettext("detail"), "—", event.detail)] if event.detail else [])
            for event in events]


def _notice_rows(limit: int) -> list[AuditRow]:
    notices = PrivacyNotice.objects.select_related("published_by").only(
        "version", "changes", "published_at", "published_by").order_by("-published_at", "-id")
    return [AuditRow(at=notice.published_at, who=notice.published_by,
                     action=gettext("published"), kind="notice", kind_label=EVENTS["notice"],
                     subject=gettext("Version %(version)s") % {"version": notice.version},
                     changes=[(gettext("what changed"), "—", notice.changes)]
                     if notice.changes else [])
            for notice in notices[:limit]]


def _second_factor_rows(limit: int) -> list[AuditRow]:
    """Second factors set up, recovery codes used or renewed, turned off, reset (by whom)."""
    events = (SecondFactorEvent.objects.select_related("by", "user")
              .order_by("-at", "-id")[:limit])
    return [AuditRow(at=event.at, who=event.by, action=event.get_action_display(),
                     kind="second_factor", kind_label=EVENTS["second_factor"],
                     subject=event.user.get_username())
            for event in events]


EVENT_ROWS = {"publication": _publication_rows, "unlock": _unlock_rows,
              "email": _email_change_rows, "phase": _phase_rows, "setup": _setup_unlock_rows,
              "officer": _officer_rows, "run": _run_rows, "privacy": _privacy_rows,
              "notice": _notice_rows, "second_factor": _second_factor_rows}


def audit_log(*, kind: str | None = None, page: int = 1) -> tuple[list[AuditRow], bool]:
    """One page of the audit log, newest first, and whether there is an older page."""
    page = max(1, page)
    wanted = page * PAGE_SIZE + 1
    streams = []
    for name in ([kind] if kind in KINDS else KINDS):
        rows = (EVENT_ROWS[name](wanted) if name in EVENT_ROWS
                else _history_rows(name, wanted))
        streams.append(rows)
    merged = list(merge(*streams, key=lambda row: row.at, reverse=True))
    start = (page - 1) * PAGE_SIZE
    return merged[start:start + PAGE_SIZE], len(merged) > start + PAGE_SIZE
