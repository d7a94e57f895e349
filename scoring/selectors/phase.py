"""Counts about an edition's jury and rankings that decide whether it may move on: read by
the phase checks (`scoring.phase_checks`) and the organiser's console alike."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from competitions.models import Edition

from ..enums import RunStatus, SheetStatus
from ..models import Assignment, JuryMember, JurySheet, RankingRun


def sheets_submitted_count(*, edition: Edition) -> int:
    """Sheets a juror has submitted (recusals are never submitted scores)."""
    return JurySheet.objects.filter(entry__edition=edition, status=SheetStatus.SUBMITTED,
                                    recused=False).count()


def jurors_without_assignments_count(*, edition: Edition) -> int:
    """Accepted jury members with no entry assigned in this edition."""
    assigned = Assignment.objects.filter(entry__edition=edition, juror=OuterRef("user"))
    return (JuryMember.objects.seated().filter(edition=edition)
            .exclude(Exists(assigned)).count())


def sheets_missing_count(*, edition: Edition) -> int:
    """Active assignments whose sheet is neither submitted nor a recusal."""
    done = JurySheet.objects.filter(entry=OuterRef("entry"), juror=OuterRef("juror"),
                                    round=OuterRef("round")).filter(
        Q(status=SheetStatus.SUBMITTED) | Q(recused=True))
    return (Assignment.objects.active().filter(entry__edition=edition)
            .exclude(Exists(done)).distinct().count())


def runs_since_review_closed_count(*, edition: Edition) -> int:
    """Ranking runs that succeeded after the jury review closed (earlier runs miss sheets)."""
    return RankingRun.objects.filter(edition=edition, status=RunStatus.SUCCEEDED,
                                     finished_at__gte=edition.review_close_at).count()


def published_runs_count(*, edition: Edition) -> int:
    return RankingRun.objects.filter(edition=edition, is_published=True).count()
