from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from competitions.admin_readonly import ReadOnlyAdminMixin, ReadOnlyInline

from .forms.invitation import JuryInvitationAdminForm
from .models import (
    Assignment,
    JuryMember,
    JuryReminder,
    JurySheet,
    RankingResult,
    RankingRun,
    SheetScore,
)
from .services.jury import jury_invite, jury_invite_check, jury_member_areas_set

DECLARED = ("affiliated_municipality", "affiliated_region", "affiliated_organisation",
            "declaration_version", "declared_at")


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "edition", "invited_at", "accepted_at")
    list_filter = ("edition",)
    list_select_related = ("user", "edition")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    filter_horizontal = ("areas",)
    actions = ["resend_invitations"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = JuryInvitationAdminForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("edition", "email", "first_name", "last_name", "areas")
        return ("edition", "user", "areas", "invited_at", "accepted_at", *DECLARED)

    def get_readonly_fields(self, request, obj=None):
        # What the juror declared on joining is theirs: organisers read it.
        return ("edition", "user", "invited_at", "accepted_at", *DECLARED) if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        member = jury_invite(edition=data["edition"], email=data["email"], by=request.user,
                             areas=list(data.get("areas") or []),
                             first_name=data["first_name"], last_name=data["last_name"])
        obj.pk, obj.user, obj.invited_at = member.pk, member.user, member.invited_at
        obj._state.adding = False
        self.message_user(request, _("Invitation sent to %(email)s.") % {"email": data["email"]},
                          messages.SUCCESS)
        return None

    def save_related(self, request, form, formsets, change):
        jury_member_areas_set(member=form.instance, areas=form.cleaned_data.get("areas") or [],
                              by=request.user)

    @admin.action(description=_("Send the invitation again"))
    def resend_invitations(self, request, queryset):
        sent = 0
        for member in queryset.select_related("user", "edition"):
            try:
                jury_invite_check(email=member.user.email)
            except ValidationError as error:
                self.message_user(request, f"{member}: {' '.join(error.messages)}",
                                  messages.WARNING)
                continue
            jury_invite(edition=member.edition, email=member.user.email, by=request.user)
            sent += 1
        if sent:
            self.message_user(request, _("Invitations sent."), messages.SUCCESS)


class SheetScoreInline(ReadOnlyInline):
    model = SheetScore
    fields = ("criterion", "value", "comment")


@admin.register(JurySheet)
class JurySheetAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Nobody but the juror changes a juror's scores: organisers read sheets here."""

    list_display = ("entry", "juror", "status", "recused", "submitted_at")
    list_filter = ("status", "recused", "entry__edition")
    list_select_related = ("entry__practice", "entry__area", "juror")
    raw_id_fields = ("entry", "juror")
    inlines = [SheetScoreInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Assignments are made and removed on the organiser's assignment page (its services)."""

    list_display = ("juror", "entry", "created_at")
    list_filter = ("entry__edition",)
    raw_id_fields = ("entry", "juror")


class RankingResultInline(ReadOnlyInline):
    model = RankingResult
    fields = ("entry", "area", "total", "rank", "place", "sheet_count", "flags")


@admin.register(RankingRun)
class RankingRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Runs are immutable and a published one is the public record: the admin only shows
    them (started, published and unpublished on the organiser's results pages)."""

    list_display = ("edition", "method", "status", "created_at", "is_published", "fingerprint")
    list_filter = ("edition", "method", "status", "is_published")
    inlines = [RankingResultInline]


@admin.register(JuryReminder)
class JuryReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The reminders the beat sent jurors (scoring.tasks): a record, read here only."""

    list_display = ("member", "days_before", "open_sheets", "sent_at")
    list_filter = ("member__edition", "days_before")
    list_select_related = ("member__user", "member__edition")
