from django.utils.functional import SimpleLazyObject

from .roles import dashboards_for


def navigation(request):
    """The dashboards shown in the navigation, computed only if a template asks for them."""
    return {"nav_dashboards": SimpleLazyObject(lambda: dashboards_for(request.user))}
