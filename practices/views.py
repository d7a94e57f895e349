from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from rules.contrib.views import permission_required

from competitions.selectors import editions_open_for_submissions

from .selectors import practices_of_municipality


@login_required
@permission_required("practices.view_officer_dashboard", raise_exception=True)
def officer_dashboard(request):
    municipality = request.user.municipality
    context = {
        "municipality": municipality,
        "approved": request.user.is_approved_officer,
        "open_editions": list(editions_open_for_submissions()),
        "practices": (practices_of_municipality(municipality=municipality)
                      if request.user.is_approved_officer else []),
    }
    return render(request, "practices/officer_dashboard.html", context)
