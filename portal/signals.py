"""Receivers that make the cached public pages stale (see portal/cache.py)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from competitions.models import Criterion, Edition, Municipality, RubricLevel, ThematicArea
from practices.models import Entry, Photo, Practice, Topic
from scoring.models import RankingRun

from .cache import showcase_bump

WATCHED = (RankingRun, Edition, ThematicArea, Criterion, RubricLevel, Municipality, Practice,
           Photo, Entry, Topic)


def _bump(sender, using=None, **kwargs) -> None:
    """Bump after the commit (at once outside a transaction). Inside one, bump now as well:
    otherwise a request served before the commit would keep serving cached old data."""
    if transaction.get_connection(using).in_atomic_block:
        showcase_bump()
    transaction.on_commit(showcase_bump, using=using)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_bump, sender=model, dispatch_uid=f"showcase_bump_save_{model.__name__}")
        post_delete.connect(_bump, sender=model,
                            dispatch_uid=f"showcase_bump_delete_{model.__name__}")
    # A practice's topics (facets, cards, exports) change without saving the practice.
    m2m_changed.connect(_bump, sender=Practice.topics.through,
                        dispatch_uid="showcase_bump_practice_topics")
