"""Writes on the competition's set-up: copying an edition, importing municipalities."""

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .enums import MunicipalityKind, Phase
from .models import Edition, Municipality, RubricLevel


def _shift_years(moment: dt.datetime | None, years: int) -> dt.datetime | None:
    if moment is None:
        return None
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _marked_as_copy(title: str, language: str) -> str:
    """`title` with the suffix "(copy)" in `language`, cut to fit the title's length."""
    with translation.override(language):
        template = _("%(title)s (copy)")
    limit = Edition._meta.get_field("title").max_length
    room = limit - len(template % {"title": ""})
    return template % {"title": title[:room]}


def edition_copy_titles(edition: Edition) -> tuple[str, str]:
    """The titles of an edition's copy: the title marked as a copy in the edition's own
    language (a Bulgarian title gets a Bulgarian suffix), the English title in English."""
    title = _marked_as_copy(edition.title, edition.language or "en")
    title_en = _marked_as_copy(edition.title_en, "en") if edition.title_en else ""
    return title, title_en


# Set-up kept by the apps above this one (scoring's judging rounds) is copied with the
# edition by the steps they register: each is called with the edition, its copy, the shift
# of the dates and the criteria's new ids ({old id: new id}).
_copy_steps: list[Callable[..., None]] = []


def edition_copy_step_register(step: Callable[..., None]) -> None:
    if step not in _copy_steps:
        _copy_steps.append(step)


@transaction.atomic
def edition_copy(*, edition: Edition, slug: str, title: str | None = None,
                 title_en: str | None = None, shift_years: int = 1) -> Edition:
    """Next year's edition: same rules, areas, criteria and rubric (and what the apps above
    register: every judging round's set-up); dates a year on; draft.
    Without titles, the copy's are the edition's marked as a copy (`edition_copy_titles`)."""
    default_title, default_title_en = edition_copy_titles(edition)
    copy = Edition.objects.get(pk=edition.pk)
    copy.pk = None
    copy.slug = slug
    copy.title = default_title if title is None else title
    copy.title_en = default_title_en if title_en is None else title_en
    copy.phase = Phase.DRAFT
    for name in ("submissions_open_at", "submissions_close_at", "review_open_at",
                 "review_close_at", "results_at"):
        setattr(copy, name, _shift_years(getattr(edition, name), shift_years))
    copy.full_clean()
    copy.save()
    for area in edition.areas.all():
        area.pk = None
        area.edition = copy
        area.save()
    criteria: dict[int, int] = {}
    for criterion in edition.criteria.prefetch_related("rubric_levels"):
        levels = list(criterion.rubric_levels.all())
        old_pk = criterion.pk
        criterion.pk = None
        criterion.edition = copy
        criterion.save()
        criteria[old_pk] = criterion.pk
        bulk_create_with_history(  # the rubric's history (audit log) starts with the copy
            [RubricLevel(criterion=criterion, score=level.score, description=level.description,
                         description_en=level.description_en) for level in levels],
            RubricLevel)
    for step in _copy_steps:
        step(edition=edition, copy=copy, criteria=criteria,
             shift=lambda moment: _shift_years(moment, shift_years))
    return copy


def edition_copy_slug(edition: Edition) -> str:
    """A free slug for the copy of an edition: `<slug>-copy`, `<slug>-copy-2`, ..."""
    base = f"{edition.slug}-copy"[:70]
    candidate, n = base, 1
    while Edition.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# --- municipalities from CSV -------------------------------------------------------------
MUNICIPALITY_CSV_COLUMNS = ("code", "name_bg", "name_en", "region_bg", "region_en", "kind",
                            "parent_code")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _row_key(country: str, row: dict) -> tuple:
    code = row["code"].strip()
    if code:
        return ("code", country, code)
    return ("name", country, row["region_bg"].strip(), row["name_bg"].strip(), row["kind"].strip())


# The model field each column of the file fills (a row is checked against the model's own
# lengths and choices before anything is written).
MUNICIPALITY_CSV_FIELDS = {"code": "code", "name_bg": "name", "name_en": "name_en",
                           "region_bg": "region", "region_en": "region_en", "kind": "kind"}


def _row_problems(country: str, row: dict, kinds: set[str]) -> list[str]:
    """What is wrong with one row on its own (the file and the database aside)."""
    problems = []
    if any("\x00" in value for value in row.values()):
        problems.append(_("a value holds a NUL character"))
        return problems
    if not row["name_bg"]:
        problems.append(_("the name (name_bg) is empty"))
    if not row["region_bg"]:
        problems.append(_("the region (region_bg) is empty"))
    if row["kind"] not in kinds:
        problems.append(_("kind “%(kind)s” is not one of %(kinds)s")
                        % {"kind": row["kind"], "kinds": ", ".join(sorted(kinds))})
    if row["kind"] == MunicipalityKind.DISTRICT_ADMINISTRATION and not row["parent_code"]:
        problems.append(_("a district administration needs a parent_code"))
    if row["code"] and row["parent_code"] == row["code"]:
        problems.append(_("it is its own parent (parent_code)"))
    if problems:
        return problems
    # the model's own checks of each value (lengths above all: SQLite would store an
    # over-long value silently, PostgreSQL refuse it with a server error)
    municipality = Municipality(country=country, **{
        name: row[column] for column, name in MUNICIPALITY_CSV_FIELDS.items()})
    try:
        municipality.full_clean(exclude=["kind", "parent"], validate_unique=False,
                                validate_constraints=False)
    except ValidationError as error:
        columns = {name: column for column, name in MUNICIPALITY_CSV_FIELDS.items()}
        for name, messages in error.message_dict.items():
            problems.extend(f"{columns.get(name, name)}: {message.rstrip('.')}"
                            for message in messages)
    return problems


def _parent_loops(rows: list[tuple[int, dict]]) -> list[str]:
    """Rows whose parents, followed through the file, come back to them."""
    parent_of = {row["code"]: row["parent_code"] for _line, row in rows if row["code"]}
    errors = []
    for line, row in rows:
        seen, code = {row["code"]}, row["parent_code"]
        while code and code in parent_of and code not in seen:
            seen.add(code)
            code = parent_of[code]
        if row["code"] and code == row["code"] and row["parent_code"] != row["code"]:
            errors.append(_("Line %(line)s: its parents (parent_code) lead back to it.")
                          % {"line": line})
    return errors


def municipalities_import_csv(*, data: bytes | str, country: str = "BG") -> ImportReport:
    """Create or update municipalities from the programme's CSV; all rows or none.

    Every row is checked before anything is written: on its own (against the model's
    lengths and choices too), against the other rows of the file (repeats, parents that are
    not known or lead back to the row) and against the municipalities already saved (a name
    already taken in its region). One broken row means nothing is written, and the report
    names every problem by line at once. Rows are matched by code, or by region, name and
    kind where there is no code, so importing the same file twice changes nothing. Parents
    are set once every row is saved, so a district may come before its municipality.
    """
    report = ImportReport()
    reader = _csv_reader(data, report)
    rows = _rows_checked(country, reader, report) if reader is not None else None
    if rows is None:  # not a CSV file of the programme's columns
        return report
    saved = _SavedMunicipalities(country)
    planned = [_row_planned(line, row, saved) for line, row in rows]
    report.errors.extend(_unknown_parents(rows, saved))
    report.errors.extend(_parent_loops(rows))
    report.errors.extend(_name_clashes(planned, saved))
    if not report.errors:
        _rows_write(country, planned, report)
    return report


def _csv_reader(data: bytes | str, report: ImportReport) -> csv.DictReader | None:
    """The file's rows, or None with the reason in the report (not UTF-8, not CSV, a column
    missing)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.errors.append(_("The file is not UTF-8 text."))
            return None
    try:
        reader = csv.DictReader(io.StringIO(data))
        fieldnames = reader.fieldnames or []
    except csv.Error as error:
        report.errors.append(_("The file is not CSV: %(error)s") % {"error": error})
        return None
    missing = [c for c in MUNICIPALITY_CSV_COLUMNS if c not in fieldnames]
    if missing:
        report.errors.append(_("Missing columns: %(columns)s. Expected: %(expected)s.") % {
            "columns": ", ".join(missing), "expected": ",".join(MUNICIPALITY_CSV_COLUMNS)})
        return None
    return reader


def _rows_checked(country: str, reader: csv.DictReader,
                  report: ImportReport) -> list[tuple[int, dict]] | None:
    """The rows that are right on their own and not repeated, by line, their values
    stripped; what is wrong with the others goes in the report. None if the file breaks off
    (not CSV after all)."""
    kinds = set(MunicipalityKind.values)
    rows: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    try:
        for line, raw in enumerate(reader, start=2):
            if None in raw or any(v is None for v in raw.values()):
                report.errors.append(_("Line %(line)s: wrong number of columns.")
                                     % {"line": line})
                continue
            row = {k: (v or "").strip() for k, v in raw.items()}
            problems = _row_problems(country, row, kinds)
            key = _row_key(country, row)
            if problems:
                report.errors.append(_("Line %(line)s: %(problems)s.")
                                     % {"line": line, "problems": "; ".join(problems)})
            elif key in seen:
                report.errors.append(_("Line %(line)s repeats line %(first)s.")
                                     % {"line": line, "first": seen[key]})
            else:
                seen[key] = line
                rows.append((line, row))
    except csv.Error as error:
        report.errors.append(_("The file is not CSV: %(error)s") % {"error": error})
        return None
    return rows


class _SavedMunicipalities:
    """The country's municipalities as saved before the import (one query), as the rows of
    a file find them: by code, and by region, name and kind (the rule of one name per kind
    in a region)."""

    def __init__(self, country: str):
        saved = list(Municipality.objects.filter(country=country))
        self.by_code = {m.code: m for m in saved if m.code}
        self.by_name = {_name_key(m.region, m.name, m.kind): m for m in saved}

    def match(self, row: dict) -> Municipality | None:
        """The municipality a row updates: the one of its code, or where the row has no code,
        the one without a code of the same region, name and kind."""
        if row["code"]:
            return self.by_code.get(row["code"])
        found = self.by_name.get(_name_key(row["region_bg"], row["name_bg"], row["kind"]))
        return found if found is not None and not found.code else None


def _name_key(region: str, name: str, kind: str) -> tuple[str, str, str]:
    return (region, name, kind)


@dataclass
class _PlannedRow:
    """What the import will do with one row: create a municipality or change `changed`."""

    line: int
    row: dict
    values: dict
    existing: Municipality | None
    changed: list[str]


def _row_planned(line: int, row: dict, saved: _SavedMunicipalities) -> _PlannedRow:
    values = {name: row[column] for column, name in MUNICIPALITY_CSV_FIELDS.items()}
    existing = saved.match(row)
    changed = list(values) if existing is None else [
        name for name, value in values.items() if getattr(existing, name) != value]
    return _PlannedRow(line=line, row=row, values=values, existing=existing, changed=changed)


def _unknown_parents(rows: list[tuple[int, dict]], saved: _SavedMunicipalities) -> list[str]:
    """Rows whose parent_code is neither in the file nor among the saved municipalities."""
    known = {row["code"] for _line, row in rows if row["code"]} | set(saved.by_code)
    return [_("Line %(line)s: parent_code “%(code)s” is not a known municipality code.")
            % {"line": line, "code": row["parent_code"]}
            for line, row in rows if row["parent_code"] and row["parent_code"] not in known]


def _name_clashes(planned: list[_PlannedRow], saved: _SavedMunicipalities) -> list[str]:
    """Rows that would give a region a second municipality of the same name and kind, as
    the database would find them were the rows saved one after another (a row refused
    leaves its name where it was)."""
    holder: dict[tuple, object] = {key: m.pk for key, m in saved.by_name.items()}
    fields = ("country", "region", "name", "kind")
    errors = []
    for item in planned:
        me = item.existing.pk if item.existing is not None else ("line", item.line)
        key = _name_key(item.values["region"], item.values["name"], item.values["kind"])
        if holder.get(key, me) != me:
            message = Municipality().unique_error_message(Municipality, fields).messages[0]
            errors.append(_("Line %(line)s: %(error)s.")
                          % {"line": item.line, "error": message.rstrip(".")})
            continue
        if item.existing is not None:
            holder.pop(_name_key(item.existing.region, item.existing.name,
                                 item.existing.kind), None)
        holder[key] = me
    return errors


@transaction.atomic
def _rows_write(country: str, planned: list[_PlannedRow], report: ImportReport) -> None:
    """Save the checked rows, then their parents (once every row of the file exists), and
    count what was created, updated and left unchanged."""
    saved = [(item, _row_save(country, item)) for item in planned]
    parent_codes = {item.row["parent_code"] for item in planned} - {""}
    parents = {m.code: m for m in Municipality.objects.filter(country=country,
                                                              code__in=parent_codes)}
    for item, (municipality, changed) in saved:
        parent = parents.get(item.row["parent_code"])
        if municipality.parent_id != (parent.pk if parent else None):
            municipality.parent = parent
            municipality.save(update_fields=["parent"])
            changed = changed or "updated"
        outcome = changed or "unchanged"
        setattr(report, outcome, getattr(report, outcome) + 1)


def _row_save(country: str, item: _PlannedRow) -> tuple[Municipality, str]:
    """Save one checked row's values (not its parent yet): the municipality, and "created",
    "updated" or "" (unchanged)."""
    if item.existing is None:
        municipality = Municipality.objects.create(country=country, **item.values)
        return municipality, "created"
    if not item.changed:
        return item.existing, ""
    for name in item.changed:
        setattr(item.existing, name, item.values[name])
    item.existing.save(update_fields=item.changed)
    return item.existing, "updated"
