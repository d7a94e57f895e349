"""The uptake records in the admin, read-only: follow-up reports are asked for by the beat
task, written by officers and checked by organisers on their pages; adoptions and questions
are recorded by officers (uptake.services). Organisers read them here, and change nothing.

Questions and their answers are not here: they are between the two municipalities only
(not even organisers read them: tests/security's secrets)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from competitions.admin_readonly import ReadOnlyAdminMixin, ReadOnlyInline

from .models import Adoption, FollowUpPhoto, FollowUpReport


class FollowUpPhotoInline(ReadOnlyInline):
    model = FollowUpPhoto
    fields = ("image", "caption", "alt_text")


@admin.register(FollowUpReport)
class FollowUpReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("practice", "edition", "months", "due_on", "status", "submitted_at")
    list_filter = ("status", "edition")
    list_select_related = ("practice", "edition")
    search_fields = ("practice__title", "practice__title_en")
    inlines = [FollowUpPhotoInline]


@admin.register(FollowUpPhoto)
class FollowUpPhotoAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("report", "caption")
    list_select_related = ("report__practice",)


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("practice", "municipality", "kind", "adopted_on")
    list_filter = ("kind",)
    list_select_related = ("practice", "municipality")
    search_fields = ("practice__title", "municipality__name")
