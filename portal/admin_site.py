"""The admin site: Django's, with its sign-in form throttled per client address like the
portal's own (`accounts.throttle`, the same "login" count, so the two forms cannot be
used one after the other to double the limit). django-axes already locks user names on
both forms; this stops one address trying a password on many user names through the admin,
where the organisers' (staff) accounts sign in."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from accounts.throttle import per_address, throttle

_throttled = throttle("login", per_address("THROTTLE_LOGIN_PER_ADDRESS"))


class PortalAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        return _throttled(super().login)(request, extra_context=extra_context)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin gets HostileInputAdminMixin, whichever app registers it."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, HostileInputAdminMixin):
            admin_class = type(admin_class.__name__, (HostileInputAdminMixin, admin_class),
                                {"__module__": admin_class.__module__})
        return super().register(model_or_iterable, admin_class, **options)


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the site above (in INSTALLED_APPS in its place)."""

    default_site = "portal.admin_site.PortalAdminSite"


def _is_key(field, value) -> bool:
    """Whether `value` is a value `field` (a primary key or a relation's target) can hold:
    text, NUL bytes or a number beyond the column's range are not, and reach the database
    as a server error (ValueError; OverflowError on SQLite; DataError on PostgreSQL)."""
    if value in ("", None):
        return True
    try:
        field.clean(value, None)
    except ValidationError:
        return False
    return True


class KeysOnlyAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete looks the submitted value up to show the form again: a value
    that is not a key is dropped there, and the form field itself says it is invalid."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if _is_key(target, v)], attr)


class KeysOnlyMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a value that is not a key before Django filters with it (Django catches
    ValueError and TypeError there, not OverflowError)."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        target = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        for item in value:
            if not _is_key(target, item):
                raise ValidationError(self.error_messages["invalid_pk_value"],
                                      code="invalid_pk_value", params={"pk": item})
        return super()._check_values(value)


class HostileInputAdminMixin:
    """Mixed into every ModelAdmin registered on the portal's site: hand-written keys (an
    autocomplete value, a many-to-many choice, a changelist selection) that are not keys are
    refused as form errors or messages, never passed to the database."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and type(formfield.widget) is AutocompleteSelect:
            widget = formfield.widget
            formfield.widget = KeysOnlyAutocompleteSelect(
                widget.field, widget.admin_site, attrs=widget.attrs, choices=widget.choices,
                using=widget.db)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", KeysOnlyMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(_is_key(self.model._meta.pk, value) for value in selected):
            self.message_user(request, _("The selection is not valid: choose the items "
                                         "again."), messages.WARNING)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)
