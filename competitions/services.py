"""Writes on the competition's set-up: copying an edition, importing municipalities."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

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
        RubricLevel.objects.bulk_create(
            RubricLevel(criterion=criterion, score=level.score, description=level.description,
                        description_en=level.description_en) for level in levels)
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


def municipalities_import_csv(*, data: bytes | str, country: str = "BG") -> ImportReport:
    """Create or update municipalities from the programme's CSV; all rows or none.

    Every row is checked first; one broken row means nothing is saved and the report names
    each problem by line. Rows are matched by code, or by region, name and kind where there
    is no code, so importing the same file twice changes nothing.
    """
    report = ImportReport()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.errors.append(_("The file is not UTF-8 text."))
            return report
    reader = csv.DictReader(io.StringIO(data))
    missing = [c for c in MUNICIPALITY_CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(_("Missing columns: %(columns)s. Expected: %(expected)s.") % {
            "columns": ", ".join(missing), "expected": ",".join(MUNICIPALITY_CSV_COLUMNS)})
        return report

    kinds = set(MunicipalityKind.values)
    rows: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    codes_in_file: set[str] = set()
    for line, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            report.errors.append(_("Line %(line)s: wrong number of columns.") % {"line": line})
            continue
        row = {k: (v or "").strip() for k, v in row.items()}
        problems = []
        if not row["name_bg"]:
            problems.append(_("the name (name_bg) is empty"))
        if not row["region_bg"]:
            problems.append(_("the region (region_bg) is empty"))
        if row["kind"] not in kinds:
            problems.append(_("kind “%(kind)s” is not one of %(kinds)s")
                            % {"kind": row["kind"], "kinds": ", ".join(sorted(kinds))})
        if row["kind"] == MunicipalityKind.DISTRICT_ADMINISTRATION and not row["parent_code"]:
            problems.append(_("a district administration needs a parent_code"))
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

    known_codes = codes_in_file | set(
        Municipality.objects.filter(country=country).exclude(code="")
        .values_list("code", flat=True))
    for line, row in rows:
        if row["parent_code"] and row["parent_code"] not in known_codes:
            report.errors.append(_("Line %(line)s: parent_code “%(code)s” is not a known "
                                   "municipality code.") % {"line": line,
                                                            "code": row["parent_code"]})
    if report.errors:
        return report

    with transaction.atomic():
        # parents first, so that districts can point at them
        for line, row in sorted(rows, key=lambda item: bool(item[1]["parent_code"])):
            _import_row(country, line, row, report)
    return report


def _import_row(country: str, line: int, row: dict, report: ImportReport) -> None:
    values = {
        "code": row["code"], "name": row["name_bg"], "name_en": row["name_en"],
        "region": row["region_bg"], "region_en": row["region_en"], "kind": row["kind"],
        "country": country,
        "parent": (Municipality.objects.get(country=country, code=row["parent_code"])
                   if row["parent_code"] else None),
    }
    if row["code"]:
        existing = Municipality.objects.filter(country=country, code=row["code"]).first()
    else:
        existing = Municipality.objects.filter(
            country=country, code="", region=values["region"], name=values["name"],
            kind=values["kind"]).first()
    if existing is None:
        municipality = Municipality(**values)
        try:
            municipality.full_clean()
        except ValidationError as error:
            raise ValidationError(_("Line %(line)s: %(error)s")
                                  % {"line": line, "error": "; ".join(error.messages)}) from error
        municipality.save()
        report.created += 1
        return
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if changed:
        for name in changed:
            setattr(existing, name, values[name])
        existing.save(update_fields=changed)
        report.updated += 1
    else:
        report.unchanged += 1
