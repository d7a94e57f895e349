from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from rules.contrib.views import permission_required

from accounts.services import officers_pending
from competitions.models import Edition, Municipality
from competitions.selectors import editions_open_for_submissions, editions_published
from practices.models import Practice

from .roles import dashboards_for


def home(request):
    context = {
        "open_editions": list(editions_open_for_submissions()),
        "published_editions": list(editions_published().prefetch_related("areas")[:5]),
        "numbers": {
            "editions": editions_published().count(),
            "municipalities": Municipality.objects.filter(practices__entries__isnull=False)
            .distinct().count(),
            "practices": Practice.objects.filter(entries__isnull=False).distinct().count(),
        },
    }
    return render(request, "portal/home.html", context)


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
def organiser_dashboard(request):
    editions = Edition.objects.annotate(
        entry_count=Count("entries", distinct=True),
        area_count=Count("areas", distinct=True)).order_by("-submissions_open_at")
    return render(request, "portal/organiser_dashboard.html",
                  {"editions": editions, "pending_officers": officers_pending()})
