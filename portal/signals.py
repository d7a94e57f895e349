"""Receivers that make the cached public pages stale (see portal/cache.py)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from competitions.models import Criterion, Edition, Municipality, RubricLevel, ThematicArea
from practices.models import Entry, Photo, Practice
from scoring.models import RankingRun
from scoring.selectors.public import practice_shown_publicly
from uptake.models import Adoption, FollowUpPhoto, FollowUpReport

from .cache import showcase_bump

WATCHED = (RankingRun, Edition, ThematicArea, Criterion, RubricLevel, Municipality, Practice,
           Photo, Entry, FollowUpReport, FollowUpPhoto, Adoption)


# Saved while their practice is not shown publicly (a draft of an open call), these change
# no public page: no bump, so the cache holds during an open call. A delete always bumps.
PRACTICE_ID = {Practice: "pk", Photo: "practice_id", Entry: "practice_id"}


def _bump_if_public(sender, instance, using=None, **kwargs) -> None:
    if practice_shown_publicly(getattr(instance, PRACTICE_ID[sender])):
        _bump(sender, using=using)


def _bump(sender, using=None, **kwargs) -> None:
    """Bump after the commit (at once outside a transaction). Inside one, bump now as well:
    otherwise a request served before the commit would keep serving cached old data."""
    if transaction.get_connection(using).in_atomic_block:
        showcase_bump()
    transaction.on_commit(showcase_bump, using=using)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_bump_if_public if model in PRACTICE_ID else _bump, sender=model,
                          dispatch_uid=f"showcase_bump_save_{model.__name__}")
        post_delete.connect(_bump, sender=model,
                            dispatch_uid=f"showcase_bump_delete_{model.__name__}")
