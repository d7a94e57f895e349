"""An edition's judging rounds: round 1 made with every edition, later rounds added by an
organiser, and the dates kept in step with the edition's review phase.

The edition's review phase (owned by `competitions.lifecycle`) spans all rounds: round 1
opens when the edition's review opens and the final round closes when it closes. The
lifecycle moves the edition's dates (an early close, a reopened review); `rounds_sync` makes
the rounds follow, called whenever an edition is saved (the receiver in `scoring.apps`), so
that every way an edition is made or changed (the set-up service, a copy, the admin, the
demo, the factories) has its round 1 and one-round editions behave exactly as before.
"""

from __future__ import annotations

import datetime as dt

from competitions.models import Edition

from ..models import JudgingRound


def rounds_sync(*, edition: Edition) -> None:
    """Make round 1 if the edition has none; round 1 opens with the edition's review and
    the final round closes with it (where that keeps each round's dates in order)."""
    rounds = list(JudgingRound.objects.filter(edition=edition).order_by("number"))
    if not rounds:
        JudgingRound.objects.create(edition=edition, number=1,
                                    review_open_at=edition.review_open_at,
                                    review_close_at=edition.review_close_at)
        return
    first, last = rounds[0], rounds[-1]
    changes: dict[JudgingRound, dict[str, dt.datetime]] = {}
    if first.review_open_at != edition.review_open_at:
        changes.setdefault(first, {})["review_open_at"] = edition.review_open_at
    if last.review_close_at != edition.review_close_at:
        changes.setdefault(last, {})["review_close_at"] = edition.review_close_at
    for judging_round, fields in changes.items():
        opens = fields.get("review_open_at", judging_round.review_open_at)
        closes = fields.get("review_close_at", judging_round.review_close_at)
        if opens < closes:
            JudgingRound.objects.filter(pk=judging_round.pk).update(**fields)
