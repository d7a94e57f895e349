from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .enums import OfficerStatus
from .models import Consent, EmailChange, PrivacyEvent, PrivacyNotice, User
from .services import (
    officer_decide,
    user_email_change_check,
    user_email_change_request,
)

# The form collects personal data: it links the privacy notice (built when shown).
PRIVACY_NOTICE_LINK = lazy(lambda: format_html(
    '<a href="{}">{}</a>', reverse("privacy_notice"),
    _("How the portal uses personal data: the privacy notice")), str)()


class UserAdminChangeForm(UserChangeForm):
    """The address itself is read-only for organisers: they may only ask for a change, which
    the person confirms from their current address (user_email_change_request)."""

    new_email = forms.EmailField(
        label=_("New e-mail address"), required=False,
        max_length=User._meta.get_field("email").max_length,
        help_text=_("A link is sent to the current address; the address changes only when "
                    "the person confirms it there."))

    def clean_new_email(self) -> str:
        new_email = self.cleaned_data.get("new_email", "")
        if new_email:
            new_email = user_email_change_check(user=self.instance, new_email=new_email)
        return new_email


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "full_name", "municipality", "officer_status",
                    "is_staff", "is_active")
    list_filter = ("officer_status", "is_staff", "is_active")
    list_select_related = ("municipality",)
    search_fields = ("username", "email", "first_name", "last_name", "municipality__name")
    autocomplete_fields = ("municipality",)
    actions = ["approve_officers", "reject_officers"]
    form = UserAdminChangeForm

    @admin.display(description=_("Full name"), ordering="last_name")
    def full_name(self, user):
        return user.get_full_name()
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Change of e-mail address"), {"fields": ("new_email",),
                                         "description": PRIVACY_NOTICE_LINK}),
        (_("Municipal officer"), {"fields": ("municipality", "officer_status", "position",
                                             "phone", "officer_decided_by",
                                             "officer_decided_at")}),
    )
    # An officer's status changes only by a decision (the actions below, the officers' page):
    # `officer_decide` records who decided and when.
    readonly_fields = ("officer_status", "officer_decided_by", "officer_decided_at")
    # What only a superuser may change: who is staff or superuser, permissions, passwords.
    SUPERUSER_ONLY = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [*self.SUPERUSER_ONLY, "last_login", "date_joined"]
            if obj is not None:
                # The address sign-in and password resets go to: changing it would hand
                # the account to whoever owns the new address (see UserAdminChangeForm).
                fields.append("email")
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        new_email = form.cleaned_data.get("new_email") if change else ""
        if new_email:
            user_email_change_request(user=obj, new_email=new_email, by=request.user)
            self.message_user(request, _(
                "A confirmation link was sent to %(email)s; the address changes when the "
                "person confirms it.") % {"email": obj.email}, messages.INFO)

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
        count = len(pending)
        self.message_user(request, ngettext("%(count)s request decided.",
                                            "%(count)s requests decided.", count)
                          % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected officers"))
    def approve_officers(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected officers"))
    def reject_officers(self, request, queryset):
        self._decide(request, queryset, approve=False)


@admin.register(EmailChange)
class EmailChangeAdmin(admin.ModelAdmin):
    """The record of address changes: read-only."""

    list_display = ("user", "old_email", "new_email", "requested_by", "requested_at",
                    "confirmed_at")
    list_select_related = ("user", "requested_by")
    search_fields = ("user__username", "old_email", "new_email")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Privacy records are read here; the notice is published on the organisers' page
    (/organiser/privacy/, accounts.privacy), erasures and removals by portal.privacy."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(ReadOnlyAdmin):
    list_display = ("version", "title_en", "published_at", "published_by")
    list_select_related = ("published_by",)


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("user", "notice", "purpose", "context", "given_at")
    list_select_related = ("user", "notice")
    list_filter = ("purpose",)


@admin.register(PrivacyEvent)
class PrivacyEventAdmin(ReadOnlyAdmin):
    list_display = ("kind", "subject", "detail", "by", "at")
    list_select_related = ("by",)
    list_filter = ("kind",)


# Second factors are set up by their owners and reset by organisers on their own pages,
# through accounts.second_factor (which records each change), not in the admin, where a
# secret could be read or changed without a record.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
