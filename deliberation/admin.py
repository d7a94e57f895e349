"""Read-only: chairs, comments and decisions change only through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from competitions.admin_readonly import ReadOnlyAdminMixin, ReadOnlyInline

from .models import (
    AreaChair,
    AreaDecision,
    DecisionAgreement,
    DecisionPlace,
    PanelComment,
    PanelSettings,
)


@admin.register(AreaChair)
class AreaChairAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("area", "user", "appointed_at")
    list_select_related = ("area", "user")


@admin.register(PanelSettings)
class PanelSettingsAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("edition", "show_names")


@admin.register(PanelComment)
class PanelCommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("entry", "author", "created_at")
    list_select_related = ("entry__practice", "author")


class DecisionPlaceInline(ReadOnlyInline):
    model = DecisionPlace


class DecisionAgreementInline(ReadOnlyInline):
    model = DecisionAgreement


@admin.register(AreaDecision)
class AreaDecisionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("area", "run", "status", "departs", "recorded_at")
    list_select_related = ("area", "run")
    inlines = [DecisionPlaceInline, DecisionAgreementInline]
