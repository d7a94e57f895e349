"""Receivers that make the cached public pages stale (see portal/cache.py), and write or
remove the open-data files of a run published or unpublished (showcase/export_files.py)."""

import logging

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from competitions.models import Criterion, Edition, Municipality, RubricLevel, ThematicArea
from practices.models import Entry, Photo, Practice, Topic
from scoring.models import RankingRun
from scoring.selectors.public import practice_shown_publicly
from scoring.signals import run_publication_changed
from uptake.models import Adoption, FollowUpPhoto, FollowUpReport

from .cache import showcase_bump

WATCHED = (RankingRun, Edition, ThematicArea, Criterion, RubricLevel, Municipality, Practice,
           Photo, Entry, FollowUpReport, FollowUpPhoto, Adoption, Topic)


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


def _bump_after_migrate(sender, **kwargs) -> None:
    """A release runs its migrations: its pages may look different (templates, static
    files), so every ETag of a public page changes (see portal.cache.public_page) and no
    browser or proxy keeps the previous release's page. A cache out of reach does not stop
    the migration: the pages then expire on their own (PUBLIC_PROXY_SECONDS)."""
    try:
        showcase_bump()
    except Exception:  # noqa: BLE001 - whatever the cache backend raises
        logging.getLogger(__name__).warning("showcase version not bumped after migrate",
                                            exc_info=True)


def _open_data_files(sender, run_id: int, published: bool, **kwargs) -> None:
    """After a publication (committed): the Celery task writes the open-data exports into
    files (in-process in the embedded mode). After an unpublication: the files go at once.
    A failure leaves the publication as it is: the first request writes the files."""
    from .showcase.export_files import open_data_exports_remove
    from .tasks import open_data_exports_build

    try:
        if published:
            open_data_exports_build.delay(run_id)
        else:
            open_data_exports_remove(run_id=run_id)
    except Exception:  # noqa: BLE001 - the publication stands; a request writes the files
        logging.getLogger(__name__).exception("open-data files of run %s", run_id)


def connect(app_config=None) -> None:
    run_publication_changed.connect(_open_data_files, dispatch_uid="open_data_files")
    if app_config is not None:
        post_migrate.connect(_bump_after_migrate, sender=app_config,
                             dispatch_uid="showcase_bump_after_migrate")
    for model in WATCHED:
        post_save.connect(_bump_if_public if model in PRACTICE_ID else _bump, sender=model,
                          dispatch_uid=f"showcase_bump_save_{model.__name__}")
        post_delete.connect(_bump, sender=model,
                            dispatch_uid=f"showcase_bump_delete_{model.__name__}")
    # A practice's topics (facets, cards, exports) change without saving the practice.
    m2m_changed.connect(_bump, sender=Practice.topics.through,
                        dispatch_uid="showcase_bump_practice_topics")
