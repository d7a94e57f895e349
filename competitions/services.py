"""Writes on the competition's set-up: copying an edition, importing municipalities."""

import csv
import datetime as dt
import io
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


@transaction.atomic
def edition_copy(*, edition: Edition, slug: str, title: str | None = None,
                 title_en: str | None = None, shift_years: int = 1) -> Edition:
    """Next year's edition: same rules, areas, criteria and rubric; dates a year on; draft.
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
    for criterion in edition.criteria.prefetch_related("rubric_levels"):
        levels = list(criterion.rubric_levels.all())
        criterion.pk = None
        criterion.edition = copy
        criterion.save()
        bulk_create_with_history(  # the rubric's history (audit log) starts with the copy
            [RubricLevel(criterion=criterion, score=level.score, description=level.description,
                         description_en=level.description_en) for level in levels],
            RubricLevel)
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


class _ImportRefused(Exception):
    """A row failed once the import was writing: the transaction rolls back."""


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

    Every row is checked first (against the model's lengths and choices too); one broken
    row means nothing is saved and the report names each problem by line. Rows are matched
    by code, or by region, name and kind where there is no code, so importing the same file
    twice changes nothing. Parents are set once every row is saved, so a district may come
    before its municipality in the file.
    """
    report = ImportReport()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.errors.append(_("The file is not UTF-8 text."))
            return report
    try:
        reader = csv.DictReader(io.StringIO(data))
        fieldnames = reader.fieldnames or []
    except csv.Error as error:
        report.errors.append(_("The file is not CSV: %(error)s") % {"error": error})
        return report
    missing = [c for c in MUNICIPALITY_CSV_COLUMNS if c not in fieldnames]
    if missing:
        report.errors.append(_("Missing columns: %(columns)s. Expected: %(expected)s.") % {
            "columns": ", ".join(missing), "expected": ",".join(MUNICIPALITY_CSV_COLUMNS)})
        return report

    kinds = set(MunicipalityKind.values)
    rows: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    codes_in_file: set[str] = set()
    try:
        for line, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                report.errors.append(_("Line %(line)s: wrong number of columns.")
                                     % {"line": line})
                continue
            row = {k: (v or "").strip() for k, v in row.items()}
            problems = _row_problems(country, row, kinds)
            if problems:
                report.errors.append(_("Line %(line)s: %(problems)s.")
                                     % {"line": line, "problems": "; ".join(problems)})
                continue
            key = _row_key(country, row)
            if key in seen:
                report.errors.append(_("Line %(line)s repeats line %(first)s.")
                                     % {"line": line, "first": seen[key]})
                continue
            seen[key] = line
            if row["code"]:
                codes_in_file.add(row["code"])
            rows.append((line, row))
    except csv.Error as error:
        report.errors.append(_("The file is not CSV: %(error)s") % {"error": error})
        return report

    known_codes = codes_in_file | set(
        Municipality.objects.filter(country=country).exclude(code="")
        .values_list("code", flat=True))
    for line, row in rows:
        if row["parent_code"] and row["parent_code"] not in known_codes:
            report.errors.append(_("Line %(line)s: parent_code “%(code)s” is not a known "
                                   "municipality code.") % {"line": line,
                                                            "code": row["parent_code"]})
    report.errors.extend(_parent_loops(rows))
    if report.errors:
        return report

    try:
        with transaction.atomic():
            saved = [(line, row, *_import_row(country, line, row, report))
                     for line, row in rows]
            if report.errors:
                raise _ImportRefused
            # parents last, once every row of the file exists
            for _line, row, municipality, changed in saved:
                parent = (Municipality.objects.get(country=country, code=row["parent_code"])
                          if row["parent_code"] else None)
                if municipality.parent_id != (parent.pk if parent else None):
                    municipality.parent = parent
                    municipality.save(update_fields=["parent"])
                    changed = changed or "updated"
                setattr(report, changed or "unchanged",
                        getattr(report, changed or "unchanged") + 1)
    except _ImportRefused:
        report.created = report.updated = report.unchanged = 0
    return report


def _import_row(country: str, line: int, row: dict,
                report: ImportReport) -> tuple[Municipality, str]:
    """Save one row's values (not its parent yet): the municipality, and "created",
    "updated" or "" (unchanged). A row the database refuses (a name already taken in its
    region) is a line of the report."""
    values = {name: row[column] for column, name in MUNICIPALITY_CSV_FIELDS.items()}
    values["country"] = country
    if row["code"]:
        existing = Municipality.objects.filter(country=country, code=row["code"]).first()
    else:
        existing = Municipality.objects.filter(
            country=country, code="", region=values["region"], name=values["name"],
            kind=values["kind"]).first()
    municipality = existing or Municipality(**values)
    changed = [name for name, value in values.items() if getattr(municipality, name) != value]
    for name in changed:
        setattr(municipality, name, values[name])
    if existing is not None and not changed:
        return municipality, ""
    try:
        municipality.full_clean(exclude=["parent"])
    except ValidationError as error:
        report.errors.append(_("Line %(line)s: %(error)s.")
                             % {"line": line,
                                "error": "; ".join(m.rstrip(".") for m in error.messages)})
        return municipality, ""
    if existing is None:
        municipality.save()
        return municipality, "created"
    municipality.save(update_fields=changed)
    return municipality, "updated"
