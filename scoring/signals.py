"""What the scoring app tells whoever listens, without knowing who does (apps depend one
way: the portal, above, publishes the results' open data)."""

from django.dispatch import Signal

# Sent after the commit of a run's publication (published=True) or unpublication
# (published=False), with `run_id` and `published`.
run_publication_changed = Signal()


def run_publication_announce(*, run_id: int, published: bool) -> None:
    """Tell the listeners, once the change is committed (at once outside a transaction)."""
    from django.db import transaction

    from .models import RankingRun

    transaction.on_commit(lambda: run_publication_changed.send(
        sender=RankingRun, run_id=run_id, published=published))
