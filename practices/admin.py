from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from competitions.admin_readonly import ReadOnlyAdminMixin, ReadOnlyInline

from .models import Attachment, Entry, OrganiserDigest, Photo, Practice


class PhotoInline(ReadOnlyInline):
    """Photos are added through `photo_add` only: it checks the pixel budget before decoding
    and re-encodes without metadata, which the admin's file field would skip."""

    model = Photo
    fields = ("image", "caption", "alt_text", "order")


class AttachmentInline(ReadOnlyInline):
    """Attachments are added through `attachment_add` only (content sniffing, metadata
    stripped from images, the per-practice size limit)."""

    model = Attachment
    fields = ("file", "title", "original_name", "content_type", "size")


class EntryInline(ReadOnlyInline):
    """Entries are live competition records: made, submitted, withdrawn and decided through
    their services only."""

    model = Entry
    fields = ("edition", "area", "status", "submitted_at", "eligibility_reason")


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ("display_title", "municipality", "is_illustrative", "updated_at")
    list_filter = ("is_illustrative", "municipality__region")
    list_select_related = ("municipality",)
    search_fields = ("title", "title_en", "municipality__name", "municipality__name_en")
    autocomplete_fields = ("municipality",)
    inlines = [EntryInline, PhotoInline, AttachmentInline]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Entries and their status change through their services (the officer's and the
    organiser's eligibility pages); here organisers read them and their history."""

    list_display = ("practice", "area", "edition", "status", "submitted_at")
    list_filter = ("edition", "area", "status")
    list_select_related = ("practice", "area", "edition")
    search_fields = ("practice__title", "practice__title_en")
    raw_id_fields = ("practice",)


@admin.register(OrganiserDigest)
class OrganiserDigestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The organisers' daily digests the beat sent (practices.tasks): a record, read here
    only."""

    list_display = ("day", "registrations", "entries", "sent_to")
    date_hierarchy = "day"
