"""Receivers that make the cached public pages stale (see portal/cache.py), and write or
remove the open-data files of a run published or unpublished (showcase/export_files.py)."""

import logging

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from competitions.models import Criterion, Edition, Municipality, RubricLevel, ThematicArea
from practices.models import Entry, Photo, Practice, Topic
from scoring.models import RankingRun
from scoring.selectors.public import editions_showing_practices, practice_shown_publicly
from scoring.signals import run_publication_changed
from uptake.models import Adoption, FollowUpPhoto, FollowUpReport

from .cache import exports_editions_renew, exports_epoch_renew, showcase_bump

WATCHED = (RankingRun, Edition, ThematicArea, Criterion, RubricLevel, Municipality, Practice,
           Photo, Entry, FollowUpReport, FollowUpPhoto, Adoption, Topic)


# Saved while their practice is not shown publicly (a draft of an open call), these change
# no public page: no bump, so the cache holds during an open call. A delete always bumps.
PRACTICE_ID = {Practice: "pk", Photo: "practice_id", Entry: "practice_id",
               Adoption: "practice_id"}


# --- which editions' open-data files a save makes stale (showcase/export_files.py) -------
# What an edition's exports read: its run (and the set-up of a run that recorded none), its
# entries, and of each public practice its title, innovation type, municipality, topics
# and adoptions. None: every edition (renew the epoch). Photos and follow-up reports are
# in no export.
EVERY_EDITION = None
EXPORT_EDITIONS = {
    RankingRun: lambda run: {run.edition_id},
    Edition: lambda edition: {edition.pk},
    ThematicArea: lambda area: {area.edition_id},
    Criterion: lambda criterion: {criterion.edition_id},
    RubricLevel: lambda level: {level.criterion.edition_id},
    Municipality: lambda municipality: EVERY_EDITION,
    Topic: lambda topic: EVERY_EDITION,
}
SHOWN_IN_EXPORTS = (Practice, Entry, Adoption)


def _after_commit(function, using=None) -> None:
    """Run now inside a transaction as well as after the commit (at once outside one):
    otherwise a request served before the commit would keep serving cached old data."""
    if transaction.get_connection(using).in_atomic_block:
        function()
    transaction.on_commit(function, using=using)


def _exports_stale(editions: set[int] | None, using=None) -> None:
    if editions is EVERY_EDITION:
        _after_commit(exports_epoch_renew, using=using)
    elif editions:
        _after_commit(lambda: exports_editions_renew(editions), using=using)


def _bump_if_public(sender, instance, using=None, **kwargs) -> None:
    practice_id = getattr(instance, PRACTICE_ID[sender])
    if sender in SHOWN_IN_EXPORTS:
        editions = editions_showing_practices([practice_id])
        if editions:
            _bump(sender, using=using)
            _exports_stale(editions, using=using)
    elif practice_shown_publicly(practice_id):
        _bump(sender, using=using)


def _bump(sender, using=None, **kwargs) -> None:
    _after_commit(showcase_bump, using=using)


def _bump_and_exports(sender, instance, created=False, using=None, **kwargs) -> None:
    _bump(sender, using=using)
    editions = EXPORT_EDITIONS[sender](instance)
    if not (created and editions is EVERY_EDITION):  # a new municipality or topic: in none
        _exports_stale(editions, using=using)


def _deleted(sender, using=None, **kwargs) -> None:
    """A delete makes every public page and every export file stale."""
    _bump(sender, using=using)
    _exports_stale(EVERY_EDITION, using=using)


def _topics_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs) -> None:
    """A practice's topics (facets, cards, exports) change without saving the practice."""
    if not action.startswith("post_"):
        return
    _bump(sender, using=using)
    if not reverse:  # practice.topics.add(...): that practice's editions
        _exports_stale(editions_showing_practices([instance.pk]), using=using)
    elif pk_set:  # topic.practices.add(...): those practices' editions
        _exports_stale(editions_showing_practices(pk_set), using=using)
    else:  # topic.practices.clear(): which practices were touched is not known
        _exports_stale(EVERY_EDITION, using=using)


def _bump_after_migrate(sender, **kwargs) -> None:
    """A release runs its migrations: its pages and exports may look different (templates,
    static files, formats), so every ETag of a public page changes (see
    portal.cache.public_page), no browser or proxy keeps the previous release's page and no
    export file of before is served. A cache out of reach does not stop the migration: the
    pages then expire on their own (PUBLIC_PROXY_SECONDS)."""
    try:
        showcase_bump()
        exports_epoch_renew()
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
        receiver = (_bump_if_public if model in PRACTICE_ID else
                    _bump_and_exports if model in EXPORT_EDITIONS else _bump)
        post_save.connect(receiver, sender=model,
                          dispatch_uid=f"showcase_bump_save_{model.__name__}")
        post_delete.connect(_deleted, sender=model,
                            dispatch_uid=f"showcase_bump_delete_{model.__name__}")
    m2m_changed.connect(_topics_changed, sender=Practice.topics.through,
                        dispatch_uid="showcase_bump_practice_topics")
