"""The admin site: Django's, with its sign-in form throttled per client address like the
portal's own (`accounts.throttle`, the same "login" count, so the two forms cannot be
used one after the other to double the limit). django-axes already locks user names on
both forms; this stops one address trying a password on many user names through the admin,
where the organisers' (staff) accounts sign in."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from accounts.throttle import per_address, throttle

_throttled = throttle("login", per_address("THROTTLE_LOGIN_PER_ADDRESS"))


class PortalAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        return _throttled(super().login)(request, extra_context=extra_context)


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the site above (in INSTALLED_APPS in its place)."""

    default_site = "portal.admin_site.PortalAdminSite"
