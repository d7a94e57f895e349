"""Which dashboards a signed-in person has, from the role predicates of each app."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_officer, is_organiser, is_pending_officer
from scoring.rules import is_juror


@dataclass(frozen=True)
class Dashboard:
    role: str
    label: str
    url: str


def dashboards_for(user) -> list[Dashboard]:
    """Every dashboard this person may use, the main one first."""
    if not user.is_authenticated:
        return []
    found = []
    if is_organiser(user):
        found.append(Dashboard("organiser", _("Organiser"), reverse("organiser_dashboard")))
    if is_juror(user):
        found.append(Dashboard("juror", _("Jury"), reverse("juror_dashboard")))
    if is_officer(user) or is_pending_officer(user):
        found.append(Dashboard("officer", _("My municipality"), reverse("officer_dashboard")))
    return found
