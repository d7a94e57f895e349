from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .enums import OfficerStatus
from .models import User
from .services import officer_decide


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "get_full_name", "municipality", "officer_status",
                    "is_staff", "is_active")
    list_filter = ("officer_status", "is_staff", "is_active")
    list_select_related = ("municipality",)
    search_fields = ("username", "email", "first_name", "last_name", "municipality__name")
    autocomplete_fields = ("municipality",)
    actions = ["approve_officers", "reject_officers"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Municipal officer"), {"fields": ("municipality", "officer_status", "position",
                                             "phone", "officer_decided_by",
                                             "officer_decided_at")}),
    )
    readonly_fields = ("officer_decided_by", "officer_decided_at")
    # What only a superuser may change: who is staff or superuser, permissions, passwords.
    SUPERUSER_ONLY = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [*self.SUPERUSER_ONLY, "last_login", "date_joined"]
        return fields

    def has_change_permission(self, request, obj=None):
        """Organisers manage officers and jurors, never another staff or superuser account."""
        if (obj is not None and not request.user.is_superuser and obj.pk != request.user.pk
                and (obj.is_staff or obj.is_superuser)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and (obj.is_staff
                                                                  or obj.is_superuser):
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        """Setting someone's password would let an organiser act as a juror: only a
        superuser may; everyone else uses the e-mailed reset link."""
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def _decide(self, request, queryset, approve: bool) -> None:
        pending = queryset.filter(officer_status__in=OfficerStatus.decidable)
        for officer in pending:
            officer_decide(officer=officer, by=request.user, approve=approve)
        self.message_user(request, _("%(count)s request(s) decided.") % {"count": len(pending)},
                          messages.SUCCESS)

    @admin.action(description=_("Approve the selected officers"))
    def approve_officers(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected officers"))
    def reject_officers(self, request, queryset):
        self._decide(request, queryset, approve=False)
