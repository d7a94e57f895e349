"""The organiser's set-up of editions, areas, criteria and municipalities."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import Textarea
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import MunicipalityImportForm
from .models import (
    FOLLOW_UP_FIELDS,
    Criterion,
    Edition,
    Municipality,
    RubricLevel,
    ThematicArea,
    setup_is_locked,
)
from .services import edition_copy, edition_copy_slug, municipalities_import_csv


class SetupLockedMixin:
    """Set-up records of an edition whose set-up is locked (`setup_is_locked`) are shown, not
    changed, added or deleted. `edition_of(obj)` names the edition of the admin's object (or,
    for an inline, of its parent)."""

    @staticmethod
    def edition_of(obj):
        return obj

    def _locked(self, obj) -> bool:
        return obj is not None and setup_is_locked(self.edition_of(obj))

    def has_add_permission(self, request, obj=None):
        if not isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request)
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class ThematicAreaInline(SetupLockedMixin, admin.TabularInline):
    model = ThematicArea
    extra = 0
    fields = ("code", "title", "title_en", "order", "awards")


class CriterionInline(SetupLockedMixin, admin.StackedInline):
    """Stacked, not a table: a criterion's guidance is prose in two languages, and a row of
    textareas made the edition's page wider than the screen (widths in static/
    competitions/admin_edition.css)."""

    model = Criterion
    extra = 0
    fields = (("order", "weight"), ("title", "title_en"), "guidance", "guidance_en",
              "edit_rubric")
    readonly_fields = ("edit_rubric",)
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 4})}}
    classes = ("portal-criteria",)

    @admin.display(description=_("rubric"))
    def edit_rubric(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:competitions_criterion_change", args=[obj.pk]),
                           _("score levels"))


@admin.register(Edition)
class EditionAdmin(SimpleHistoryAdmin):
    list_display = ("display_title", "slug", "phase", "submissions_close_at_local", "time_zone")
    list_filter = ("phase", "country")
    # The phase moves only through `competitions.lifecycle` (the console and the beat task).
    readonly_fields = ("phase",)
    search_fields = ("title", "title_en", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = [ThematicAreaInline, CriterionInline]

    class Media:
        css = {"all": ("competitions/admin_edition.css",)}
    actions = ["copy_editions"]
    fieldsets = (
        (None, {"fields": ("title", "title_en", "slug", "country", "language", "year_label",
                           "phase")}),
        (_("Call for practices"), {"fields": ("call_text", "call_text_en")}),
        (_("Phases and dates"), {
            "fields": ("time_zone", "submissions_open_at", "submissions_close_at",
                       "review_open_at", "review_close_at", "results_at"),
            "description": _("Dates and times are in the edition's time zone once it is saved."),
        }),
        (_("Rules"), {"fields": ("eligibility_months", "max_entries_per_area", "scale_min",
                                 "scale_max", "min_sheets_per_entry", "jury_comments_required",
                                 "conflict_scope")}),
        (_("Follow-up after the award"), {"fields": FOLLOW_UP_FIELDS}),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and setup_is_locked(obj):
            fields += ["scale_min", "scale_max", "min_sheets_per_entry", *FOLLOW_UP_FIELDS]
        return fields

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert would save an old phase (and old set-up) around the services.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("submission deadline (local time)"))
    def submissions_close_at_local(self, obj: Edition) -> str:
        local = obj.local(obj.submissions_close_at)
        return f"{date_format(local, 'SHORT_DATETIME_FORMAT')} {local.tzname()}"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Show and read the dates in the edition's own time zone, not the server's.
        edition = Edition.objects.filter(pk=object_id).only("time_zone").first() \
            if object_id and str(object_id).isdigit() else None
        if edition is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with timezone.override(edition.tz):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # a TemplateResponse renders lazily: do it in this zone
            return response

    @admin.action(description=_("Copy for next year (areas, criteria and rubric)"))
    def copy_editions(self, request, queryset):
        for edition in queryset:
            copy = edition_copy(edition=edition, slug=edition_copy_slug(edition))
            self.message_user(request, format_html(
                _("Copied “{}” to <a href=\"{}\">{}</a>: a draft a year later; check its "
                  "dates and slug."), edition, reverse("admin:competitions_edition_change",
                                                       args=[copy.pk]), copy.slug),
                messages.SUCCESS)


class RubricLevelInline(SetupLockedMixin, admin.TabularInline):
    model = RubricLevel
    extra = 1
    fields = ("score", "description", "description_en")

    @staticmethod
    def edition_of(obj):
        return obj.edition


@admin.register(Criterion)
class CriterionAdmin(SetupLockedMixin, SimpleHistoryAdmin):
    list_display = ("display_title", "edition", "order", "weight")
    list_filter = ("edition",)
    inlines = [RubricLevelInline]
    fields = ("edition", "order", "title", "title_en", "weight", "guidance", "guidance_en")

    @staticmethod
    def edition_of(obj):
        return obj.edition


@admin.register(ThematicArea)
class ThematicAreaAdmin(SetupLockedMixin, SimpleHistoryAdmin):
    list_display = ("code", "display_title", "edition", "order", "awards")
    list_filter = ("edition",)

    @staticmethod
    def edition_of(obj):
        return obj.edition


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "region", "kind", "code", "country")
    list_filter = ("kind", "country", "region")
    search_fields = ("name", "name_en", "code", "region", "region_en")
    change_list_template = "admin/competitions/municipality/change_list.html"

    def get_urls(self):
        return [path("import-csv/", self.admin_site.admin_view(self.import_csv),
                     name="competitions_municipality_import")] + super().get_urls()

    def import_csv(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = MunicipalityImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            report = municipalities_import_csv(data=form.cleaned_data["file"].read(),
                                               country=form.cleaned_data["country"].upper())
            if report.ok:
                self.message_user(request, _(
                    "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
                    % {"created": report.created, "updated": report.updated,
                       "unchanged": report.unchanged}, messages.SUCCESS)
                return redirect("admin:competitions_municipality_changelist")
            errors = report.errors
        context = {**self.admin_site.each_context(request), "form": form, "errors": errors,
                   "title": _("Import municipalities from CSV"), "opts": self.model._meta}
        return render(request, "admin/competitions/municipality/import.html", context,
                      status=400 if errors else 200)
