"""Celery tasks of what the programme gives back: ids in, one service call."""

from celery import shared_task

from .services import booklet_build


@shared_task(name="giveback.tasks.booklet_generate")
def booklet_generate(booklet_id: int) -> int:
    """Typeset booklet `booklet_id`; safe to retry (a booklet made is left as it is)."""
    return booklet_build(booklet_id=booklet_id).pk
