"""The demo's give-back: signatories and an introduction for the 2016/2017 edition, the
jury's (illustrative) comments on Tundzha's entry released by the organiser, and the
booklet in both languages. Idempotent: loading again changes nothing."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from competitions.models import Edition
from scoring.enums import RunStatus, SheetStatus
from scoring.models import JurySheet, RankingRun

from .enums import BOOKLET_LANGUAGES, CommentDecision
from .models import Booklet, BookletIntroduction, CommentRelease, Signatory
from .services import booklet_build, comment_release_decide

SIGNATORIES = [
    ("Министър на регионалното развитие и благоустройството",
     "Minister of Regional Development and Public Works", "Николай Нанков", "Nikolay Nankov"),
    ("Председател на журито", "Chair of the jury", "Председател на журито", "Jury chair"),
]
INTRODUCTION = (
    "Програмата за най-добри практики на Съвета на Европа отличава общини, които са "
    "постигнали видими резултати в полза на своите граждани. В тази брошура са "
    "представени отличените практики на изданието 2016/2017 г. в трите тематични области.",
    "The Council of Europe's Best Practices Programme recognises municipalities that have "
    "achieved visible results for their citizens. This booklet presents the awarded "
    "practices of the 2016/2017 edition in its three thematic areas.")
OVERALL = ("Добре документирана практика с ясни резултати; препоръчваме повече данни за "
           "устойчивостта след края на финансирането.")


def demo_giveback_load(*, slug: str = "bg-2016-2017") -> None:
    edition = Edition.objects.filter(slug=slug).first()
    organiser = User.objects.filter(username="organiser").first()
    if edition is None or organiser is None:
        return
    with transaction.atomic():
        if not Signatory.objects.filter(edition=edition).exists():
            for order, (role, role_en, name, name_en) in enumerate(SIGNATORIES):
                Signatory.objects.create(edition=edition, order=order, name=name,
                                         name_en=name_en, role=role, role_en=role_en)
        BookletIntroduction.objects.get_or_create(
            edition=edition, defaults={"text": INTRODUCTION[0], "text_en": INTRODUCTION[1]})
        sheets = JurySheet.objects.filter(
            entry__edition=edition, entry__practice__municipality__name_en="Tundzha",
            status=SheetStatus.SUBMITTED, recused=False).select_related("entry")
        for sheet in sheets.order_by("pk")[:2]:
            if CommentRelease.objects.filter(sheet=sheet, criterion=None).exists():
                continue
            if not sheet.overall_comment:
                JurySheet.objects.filter(pk=sheet.pk).update(overall_comment=OVERALL)
                sheet.overall_comment = OVERALL
            comment_release_decide(sheet=sheet, criterion=None,
                                   decision=CommentDecision.RELEASED,
                                   text=sheet.overall_comment, by=organiser)
    run = RankingRun.objects.filter(edition=edition, is_published=True).first()
    if run is None:
        return
    for language in BOOKLET_LANGUAGES:
        booklet, _created = Booklet.objects.get_or_create(run=run, language=language)
        if booklet.status != RunStatus.SUCCEEDED or not booklet.file:
            booklet_build(booklet_id=booklet.pk)
