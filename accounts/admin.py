from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
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

    def _decide(self, request, queryset, approve: bool) -> None:
        pending = queryset.filter(officer_status=OfficerStatus.PENDING)
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
