"""The privacy notice, a person's own account and data download, and the organisers'
privacy pages (the notice's versions, the record of processing, erasure on request)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required

from accounts.models import PrivacyNotice, User
from accounts.privacy import privacy_notice_current, privacy_notice_publish

from .forms import ErasureConfirmForm, PrivacyNoticeForm
from .personal_data import PLACES
from .services import person_data_export, person_erase

PEOPLE_LIMIT = 50


@require_GET
def privacy_notice(request):
    """The notice in force, or an earlier version (?version=3): every version stays readable,
    since consents name them."""
    current = privacy_notice_current()
    wanted = request.GET.get("version", "")
    notice = current
    if wanted:
        if not (wanted.isascii() and wanted.isdigit() and len(wanted) < 6):
            raise Http404
        notice = get_object_or_404(PrivacyNotice, version=int(wanted))
    versions = PrivacyNotice.objects.only("version", "published_at")
    return render(request, "portal/privacy/notice.html",
                  {"notice": notice, "current": current, "versions": versions})


@login_required
@require_GET
def account(request):
    """A person's own account: what the portal holds about them, and the download."""
    consents = request.user.consents.select_related("notice")
    return render(request, "portal/privacy/account.html",
                  {"consents": consents, "notice": privacy_notice_current()})


@login_required
@require_GET
def account_data(request):
    """The person's own data as a JSON file (every place of personal_data.PLACES)."""
    response = JsonResponse(person_data_export(person=request.user), encoder=DjangoJSONEncoder,
                            json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="my-data-{timezone.localdate():%Y-%m-%d}.json"')
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required("accounts.manage_privacy", raise_exception=True)
def organiser_privacy(request):
    """The notice's versions, and the form that publishes a new one."""
    current = privacy_notice_current()
    initial = {name: getattr(current, name) for name in ("title", "title_en", "body", "body_en")}
    form = PrivacyNoticeForm(request.POST if request.method == "POST" else None,
                             initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notice = privacy_notice_publish(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Version %(version)s of the privacy notice is "
                                        "published.") % {"version": notice.version})
            return redirect("organiser_privacy")
    versions = (PrivacyNotice.objects.select_related("published_by")
                .annotate(consent_count=Count("consents")))
    return render(request, "portal/privacy/organiser.html",
                  {"form": form, "versions": versions, "current": current},
                  status=400 if form.errors else 200)


@login_required
@permission_required("accounts.manage_privacy", raise_exception=True)
@require_GET
def organiser_processing(request):
    """The record of processing: what is kept, why, on which basis, how long, who sees it."""
    return render(request, "portal/privacy/processing.html", {
        "places": PLACES, "registration_days": settings.PRIVACY_UNAPPROVED_REGISTRATION_DAYS,
        "invitation_days": settings.PRIVACY_UNUSED_INVITATION_DAYS})


def _erasable_people():
    return User.objects.filter(is_staff=False, is_superuser=False, erased_at__isnull=True)


@login_required
@permission_required("accounts.manage_privacy", raise_exception=True)
@require_GET
def organiser_people(request):
    """Find the person who asked to be erased (by name, user name or address)."""
    query = request.GET.get("q", "").strip()[:100]
    people = []
    if query:
        people = list(_erasable_people().filter(
            Q(username__icontains=query) | Q(email__icontains=query)
            | Q(first_name__icontains=query) | Q(last_name__icontains=query))
            .select_related("municipality").order_by("last_name", "username")[:PEOPLE_LIMIT])
    return render(request, "portal/privacy/people.html",
                  {"query": query, "people": people, "limit": PEOPLE_LIMIT})


@login_required
@permission_required("accounts.manage_privacy", raise_exception=True)
def organiser_person_erase(request, pk: int):
    """The confirmation (GET) and the erasure (POST, confirmed)."""
    person = get_object_or_404(_erasable_people().exclude(pk=request.user.pk), pk=pk)
    form = ErasureConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        event = person_erase(person=person, by=request.user)
        messages.success(request, _("The personal data of the account are erased; it is now "
                                    "%(pseudonym)s.") % {"pseudonym": event.subject})
        return redirect("organiser_privacy_people")
    return render(request, "portal/privacy/erase.html",
                  {"person": person, "form": form, "places": PLACES},
                  status=400 if form.errors else 200)
