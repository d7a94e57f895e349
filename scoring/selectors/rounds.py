"""Reads about an edition's judging rounds: which exist, which one is current, whether a
round's scoring is closed. The rule itself lives in `scoring.rules` (one home)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from competitions.models import Edition

from .. import rules
from ..models import JudgingRound


def edition_rounds(edition: Edition) -> list[JudgingRound]:
    """The edition's rounds in order (round 1 first), each with its edition set."""
    rounds = list(JudgingRound.objects.filter(edition=edition).order_by("number"))
    for judging_round in rounds:
        judging_round.edition = edition
    return rounds


def current_round(edition: Edition, at: dt.datetime | None = None) -> JudgingRound | None:
    """The round whose scoring is open at `at`; else the latest round that has started;
    else round 1."""
    at = at or timezone.now()
    rounds = edition_rounds(edition)
    if not rounds:
        return None
    for judging_round in rounds:
        if rules.round_scoring_open(judging_round, at):
            return judging_round
    started = [r for r in rounds if r.review_open_at <= at]
    return started[-1] if started else rounds[0]


def round_scoring_closed(judging_round: JudgingRound, at: dt.datetime | None = None) -> bool:
    """The round's sheets are final (see `scoring.rules.round_scoring_closed`)."""
    return rules.round_scoring_closed(judging_round, at)


def round_scoring_open(judging_round: JudgingRound, at: dt.datetime | None = None) -> bool:
    """Jurors may score the round's sheets now (see `scoring.rules.round_scoring_open`)."""
    return rules.round_scoring_open(judging_round, at)


def final_round(edition: Edition) -> JudgingRound | None:
    """The edition's last round: the one whose ranking is published."""
    judging_round = JudgingRound.objects.filter(edition=edition).order_by("-number").first()
    if judging_round is not None:
        judging_round.edition = edition
    return judging_round


def previous_round(judging_round: JudgingRound) -> JudgingRound | None:
    """The round before (None for round 1)."""
    return (JudgingRound.objects.filter(edition_id=judging_round.edition_id,
                                        number__lt=judging_round.number)
            .order_by("-number").first())


def round_for_edition(*, edition: Edition, number: int) -> JudgingRound:
    """The edition's round `number`, or 404."""
    from django.shortcuts import get_object_or_404

    judging_round = get_object_or_404(JudgingRound, edition=edition, number=number)
    judging_round.edition = edition
    return judging_round


def assigned_round(*, entry, juror) -> JudgingRound | None:
    """The latest round in which the entry is actively assigned to the juror (the round
    whose sheet the juror's pages show), its edition set from the entry."""
    from ..models import Assignment

    judging_round = (JudgingRound.objects.filter(
        assignments__in=Assignment.objects.active().filter(entry=entry, juror=juror))
        .order_by("-number").first())
    if judging_round is not None and judging_round.edition_id == entry.edition_id:
        judging_round.edition = entry.edition
    return judging_round
