"""What practices says about an edition's moves (registered with `competitions.guards`)."""

from django.utils.translation import ngettext

from competitions import guards
from competitions.enums import Phase

from .selectors import entries_undecided_count


def undecided_entries_block_review(edition, at) -> list[str]:
    """The jury scores only decided entries: every submitted entry needs its eligibility
    decision before the review opens, rather than being left out without a word."""
    count = entries_undecided_count(edition=edition)
    if not count:
        return []
    return [ngettext("%(count)d submitted entry has no eligibility decision.",
                     "%(count)d submitted entries have no eligibility decision.", count)
            % {"count": count}]


def register() -> None:
    guards.register((Phase.OPEN, Phase.REVIEW), undecided_entries_block_review)
