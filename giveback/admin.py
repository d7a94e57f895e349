"""Organisers set each edition's signatories and booklet introduction here (content, with
its history); the comment releases and booklets are records, read-only (they change
through `giveback.services`, from the organiser's give-back page)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from competitions.admin_readonly import ReadOnlyAdminMixin
from competitions.rules import organisers_manage

from .models import Booklet, BookletIntroduction, CommentRelease, Signatory

organisers_manage("giveback", "signatory", "bookletintroduction")


@admin.register(Signatory)
class SignatoryAdmin(SimpleHistoryAdmin):
    list_display = ("name", "role", "edition", "order")
    list_filter = ("edition",)
    search_fields = ("name", "name_en", "role", "role_en")


@admin.register(BookletIntroduction)
class BookletIntroductionAdmin(SimpleHistoryAdmin):
    list_display = ("edition",)


@admin.register(CommentRelease)
class CommentReleaseAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("sheet", "criterion", "decision", "decided_by", "decided_at")
    list_filter = ("decision",)


@admin.register(Booklet)
class BookletAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("run", "language", "status", "progress", "pages", "finished_at")
