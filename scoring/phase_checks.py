"""What scoring says about an edition's moves and its set-up lock (registered with
`competitions.guards`): the counts come from `selectors.phase`."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competitions import guards
from competitions.enums import Phase

from .selectors.phase import (
    published_runs_count,
    sheets_submitted_count,
)


def _sheets_submitted(edition) -> list[str]:
    count = sheets_submitted_count(edition=edition)
    if not count:
        return []
    return [ngettext("%(count)d jury sheet is already submitted.",
                     "%(count)d jury sheets are already submitted.", count)
            % {"count": count}]


def sheets_block_reopening_submissions(edition, at) -> list[str]:
    """New entries after jurors scored would be judged against a different field."""
    return _sheets_submitted(edition)


def sheets_block_setup_unlock(edition, at) -> list[str]:
    return _sheets_submitted(edition)


def published_needs_one_published_run(edition, at) -> list[str]:
    count = published_runs_count(edition=edition)
    if count == 1:
        return []
    return [_("No ranking run is published: publish one on the results page.")]


def ranked_needs_no_published_run(edition, at) -> list[str]:
    if not published_runs_count(edition=edition):
        return []
    return [_("A ranking run is still published: unpublish it on the results page.")]


def register() -> None:
    guards.register((Phase.REVIEW, Phase.OPEN), sheets_block_reopening_submissions)
    guards.register((Phase.RANKED, Phase.PUBLISHED), published_needs_one_published_run)
    guards.register((Phase.PUBLISHED, Phase.RANKED), ranked_needs_no_published_run)
    guards.register(guards.SETUP_UNLOCK, sheets_block_setup_unlock)
