"""The admin of live competition records (entries' status, sheets, scores, runs, results,
publications, assignments): organisers see everything and change nothing there. Every change
to them goes through its service, from the organiser's pages or an admin action that calls it.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied


class ReadOnlyAdminMixin:
    """No add, change or delete; django-simple-history's "revert" form is refused too (its POST
    saves the old version with only the view permission checked)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields or ()
