import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required

from accounts.selectors import officers_pending
from competitions.models import Edition

from . import selectors
from .audit import AUDITED, EVENTS, audit_log
from .cache import cached, public_page
from .roles import dashboards_for


@require_GET
@public_page()
def home(request):
    """The open calls, the latest winners per area, the programme in numbers."""

    def build() -> dict:
        data = selectors.home_page()
        return {"body": render_to_string("portal/_home.html", {"data": data}, request=request)}

    content = cached("home", (), build)
    return render(request, "portal/home.html", {"content": content})


# The accessibility statement's preparation: when, and how (kept with the statement's text).
ACCESSIBILITY_STATEMENT_PREPARED = datetime.date(2026, 11, 29)


@require_GET
def accessibility_statement(request):
    """The accessibility statement of the EU model (Directive (EU) 2016/2102): how far the
    portal conforms to WCAG 2.1 AA, what is not yet accessible, how to report a problem."""
    return render(request, "portal/accessibility.html", {
        "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
    })


@login_required
def dashboard(request):
    """Send each person to their main dashboard; someone with no role yet gets a page
    saying what to do next."""
    dashboards = dashboards_for(request.user)
    if dashboards:
        return redirect(dashboards[0].url)
    return render(request, "portal/no_role.html")


@login_required
@permission_required("competitions.organise", raise_exception=True)
def audit_log_view(request):
    kind = request.GET.get("kind", "")
    page = request.GET.get("page", "1")
    page = int(page) if page.isascii() and page.isdigit() and len(page) < 6 else 1
    rows, has_older = audit_log(kind=kind or None, page=page)
    kinds = [(name, AUDITED[name].label) for name in AUDITED] + list(EVENTS.items())
    return render(request, "portal/audit.html", {"rows": rows, "has_older": has_older,
                                                 "page": page, "kind": kind, "kinds": kinds})


@login_required
@permission_required("competitions.organise", raise_exception=True)
def organiser_dashboard(request):
    editions = Edition.objects.annotate(
        entry_count=Count("entries", distinct=True),
        area_count=Count("areas", distinct=True)).order_by("-submissions_open_at")
    return render(request, "portal/organiser_dashboard.html",
                  {"editions": editions, "pending_officers": officers_pending()})
