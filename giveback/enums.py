from django.db import models
from django.utils.translation import gettext_lazy as _


class CommentDecision(models.TextChoices):
    """What the organiser decided about one jury comment before the feedback reports."""

    RELEASED = "released", _("Released")
    WITHHELD = "withheld", _("Withheld")


# What the booklet's task is doing, as stored in Booklet.progress_message.
BOOKLET_STAGES = {
    "queued": _("Waiting for a worker"),
    "loading": _("Reading the published results"),
    "typesetting": _("Typesetting the pages"),
    "storing": _("Saving the booklet"),
    "done": _("Done"),
    "failed": _("Failed"),
}

# The languages a booklet is printed in: the UI's (the edition's content is shown in
# English where it has an English version, else in its own language).
BOOKLET_LANGUAGES = ("bg", "en")
