"""What an entry still lacks before it can be submitted: pure reads on loaded objects."""

import datetime as dt

from django.utils.translation import gettext as _

from competitions.models import Edition

from .models import Practice

# The sections an officer must fill before an entry can be submitted.
REQUIRED_FIELDS = ("title", "summary", "problem", "actions", "results", "contact_name",
                   "contact_email")


def practice_eligible_for(*, practice: Practice, edition: Edition) -> bool:
    """Implemented inside the edition's window, or sustained and upgraded inside it with
    the upgrade described. The window's first and last day are both inside."""
    first_day, last_day = edition.eligibility_window

    def inside(day: dt.date | None) -> bool:
        return day is not None and first_day <= day <= last_day

    if inside(practice.implemented_on):
        return True
    return bool(practice.is_sustained and practice.upgrade_description.strip()
                and inside(practice.upgraded_on))


def practice_missing(*, practice: Practice) -> list[str]:
    """The labels of required sections that are still empty."""
    missing = [str(Practice._meta.get_field(name).verbose_name)
               for name in REQUIRED_FIELDS if not str(getattr(practice, name) or "").strip()]
    if practice.implemented_on is None and not practice.is_sustained:
        missing.append(str(Practice._meta.get_field("implemented_on").verbose_name))
    if practice.is_sustained:
        if not practice.upgrade_description.strip():
            missing.append(str(Practice._meta.get_field("upgrade_description").verbose_name))
        if practice.upgraded_on is None:
            missing.append(str(Practice._meta.get_field("upgraded_on").verbose_name))
    return missing


def entry_problems(*, practice: Practice, edition: Edition) -> list[str]:
    """Everything that stops an entry of this practice in this edition being submitted,
    apart from the deadline and the per-area limit (which need the database)."""
    problems = [_("Fill in: %(section)s.") % {"section": label}
                for label in practice_missing(practice=practice)]
    has_dates = practice.implemented_on is not None or (
        practice.is_sustained and practice.upgraded_on is not None)
    if has_dates and not practice_eligible_for(practice=practice, edition=edition):
        first_day, last_day = edition.eligibility_window
        problems.append(
            _("The practice must have been implemented, or substantially upgraded, between "
              "%(first)s and %(last)s.")
            % {"first": first_day.isoformat(), "last": last_day.isoformat()})
    return problems
