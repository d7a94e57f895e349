"""The municipal officer's pages and the permission-checked file downloads."""

import mimetypes
from functools import wraps
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from accounts.throttle import Limit, throttle
from competitions.models import ThematicArea
from competitions.selectors import editions_closing_soon, editions_open_for_submissions

from .enums import EntryStatus
from .forms import AttachmentForm, EntryCreateForm, PhotoForm, PracticeForm
from .models import Attachment, Entry, Photo, Practice
from .rules import (
    can_discard_entry,
    can_edit_practice,
    can_submit_entry,
    can_withdraw_entry,
    practice_files_visible_to,
)
from .selectors import (
    criteria_links,
    edition_for_officer,
    entry_results,
    entry_row,
    officer_overview,
    open_calls,
    practice_for_officer,
    practice_sections,
)
from .services import (
    PracticeChanged,
    attachment_add,
    entry_create,
    entry_discard,
    entry_submit,
    entry_withdraw,
    photo_add,
    practice_create,
    practice_file_delete,
    practice_update,
    practice_version,
)


def _form_errors(form, error: ValidationError, field: str | None = None) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(name if name in form.fields else None, item)
    else:
        for message in error.messages:
            form.add_error(field, message)


def own_or_404(permission: str, fn):
    """A municipality's own object (practice, entry): a visitor is sent to sign in; anyone
    signed in without `permission` on `fn(request, **kwargs)` gets 404, exactly as for an
    object that does not exist (existence of another municipality's drafts stays private)."""
    def decorator(view):
        @wraps(view)
        @login_required
        def checked(request, *args, **kwargs):
            if not request.user.has_perm(permission, fn(request, *args, **kwargs)):
                raise Http404
            return view(request, *args, **kwargs)
        return checked
    return decorator


def _practice(request, pk, **kwargs):
    return get_object_or_404(Practice, pk=pk)


def _entry(request, pk):
    return get_object_or_404(Entry.objects.select_related("practice"), pk=pk)


@login_required  # the dashboards send a visitor to sign in (the foundation's choice)
@permission_required("practices.view_officer_dashboard", raise_exception=True)
def officer_dashboard(request):
    municipality = request.user.municipality
    context = {"municipality": municipality, "approved": request.user.is_approved_officer,
               "closing_soon": list(editions_closing_soon())}
    if request.user.is_approved_officer:
        context.update(officer_overview(municipality=municipality))
    else:  # waiting for approval: something to read meanwhile
        context["open_editions"] = open_calls()
    return render(request, "practices/officer_dashboard.html", context)


@permission_required("practices.add_practice_as_officer", raise_exception=True)
def practice_create_view(request):
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            practice = practice_create(municipality=request.user.municipality, by=request.user,
                                       data=form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The practice is saved as a draft."))
            return redirect("practice_detail", pk=practice.pk)
    return render(request, "practices/practice_form.html",
                  {"form": form, "practice": None, "can_edit": True,
                   "criteria": criteria_links(practice=None)})


@own_or_404("practices.change_practice_as_officer", _practice)
def practice_detail(request, pk):
    practice = practice_for_officer(pk=pk)
    now = timezone.now()
    entries = list(practice.entries.all())
    results = entry_results(entries)
    rows = [entry_row(entry=entry, practice=practice, at=now, result=results.get(entry.pk))
            for entry in entries]
    return render(request, "practices/practice_detail.html", {
        "practice": practice, "entries": rows, "sections": practice_sections(practice),
        "can_edit": can_edit_practice(practice, at=now),
        "photo_form": PhotoForm(), "attachment_form": AttachmentForm(),
        "can_enter": bool(list(editions_open_for_submissions()[:1])),
    })


@own_or_404("practices.change_practice_as_officer", _practice)
def practice_edit(request, pk):
    practice = practice_for_officer(pk=pk)
    form = PracticeForm(request.POST or None, instance=practice)
    status = 200
    # A POST counts from when it reached the server (portal.client.request_arrival).
    can_edit = can_edit_practice(practice, at=request.arrived_at)
    if request.method == "POST" and not can_edit:
        messages.error(request, _("The submission deadline has passed: this practice can no "
                                  "longer be changed."))
        return redirect("practice_detail", pk=practice.pk)
    if request.method == "POST" and form.is_valid():
        try:
            # A form without the version (a page from before versions, a script) is
            # treated as opened at an unknown version: any difference is a conflict.
            practice_update(practice=practice, by=request.user, data=form.cleaned_data,
                            version=form.cleaned_data["version"], at=request.arrived_at)
        except PracticeChanged as changed:
            form, status = form.after_change(changed), 409
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The practice is saved."))
            return redirect("practice_detail", pk=practice.pk)
    return render(request, "practices/practice_form.html",
                  {"form": form, "practice": practice, "can_edit": can_edit,
                   "criteria": criteria_links(practice=practice)}, status=status)


@require_POST
@own_or_404("practices.change_practice_as_officer", _practice)
def practice_autosave(request, pk):
    """The edit form saves itself as the officer types (static/practices/practice-form.js),
    through the same form and service as the Save button, with the version the form holds:
    a save from another tab or a colleague is never overwritten (409, the form then asks
    to save by hand, which shows what changed). Answers the version to save against next."""
    practice = practice_for_officer(pk=pk)
    if not can_edit_practice(practice, at=request.arrived_at):
        return JsonResponse({"error": _("The submission deadline has passed: this practice "
                                        "can no longer be changed.")}, status=409)
    form = PracticeForm(request.POST, instance=practice)
    if not form.is_valid():
        return JsonResponse({"error": _("Not saved: some fields need correcting. Save with "
                                        "the button to see which.")}, status=422)
    try:
        saved = practice_update(practice=practice, by=request.user, data=form.cleaned_data,
                                version=form.cleaned_data["version"], at=request.arrived_at)
    except PracticeChanged:
        return JsonResponse({"error": _("Not saved: this practice was changed in another tab "
                                        "or by someone else. Save with the button to see "
                                        "the changes.")}, status=409)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=422)
    return JsonResponse({"version": practice_version(saved),
                         "saved_at": timezone.localtime(saved.updated_at).strftime("%H:%M")})


@permission_required("practices.view_officer_dashboard", raise_exception=True)
def edition_criteria(request, slug):
    """What the jury applies, for an officer writing a practice: the edition's thematic areas
    and criteria with the jurors' guidance (any edition past its draft)."""
    context = edition_for_officer(slug=slug)
    if context is None:
        raise Http404
    return render(request, "practices/edition_criteria.html", context)


def _upload(request, pk, form_class, add, field: str, message: str):
    practice = get_object_or_404(Practice, pk=pk)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop(field)
        try:
            add(practice=practice, upload=upload, by=request.user, at=request.arrived_at, **data)
        except ValidationError as error:
            _form_errors(form, error, field)
        else:
            messages.success(request, message)
            return redirect("practice_detail", pk=practice.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "practices/upload_form.html",
                  {"form": form, "practice": practice, "field": field}, status=status)


# Each upload is decoded and re-encoded: an officer's uploads are counted (one count for
# photos and attachments), and over the limit refused with the 429 page.
UPLOADS = Limit("officer", "THROTTLE_UPLOADS_PER_OFFICER", "user",
                gettext_lazy("You uploaded too many files in a short time."))


@own_or_404("practices.change_practice_as_officer", _practice)
@throttle("practice_upload", UPLOADS)
def photo_add_view(request, pk):
    return _upload(request, pk, PhotoForm, photo_add, "image", _("The photo is added."))


@own_or_404("practices.change_practice_as_officer", _practice)
@throttle("practice_upload", UPLOADS)
def attachment_add_view(request, pk):
    return _upload(request, pk, AttachmentForm, attachment_add, "file",
                   _("The attachment is added."))


def _delete_file(request, pk, model, item_pk):
    item = get_object_or_404(model.objects.select_related("practice"), pk=item_pk, practice_id=pk)
    try:
        practice_file_delete(item=item, by=request.user, at=request.arrived_at)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file is removed."))
    return redirect("practice_detail", pk=pk)


@require_POST
@own_or_404("practices.change_practice_as_officer", _practice)
def photo_delete_view(request, pk, item_pk):
    return _delete_file(request, pk, Photo, item_pk)


@require_POST
@own_or_404("practices.change_practice_as_officer", _practice)
def attachment_delete_view(request, pk, item_pk):
    return _delete_file(request, pk, Attachment, item_pk)


@own_or_404("practices.change_practice_as_officer", _practice)
def entry_create_view(request, pk):
    practice = get_object_or_404(Practice, pk=pk)
    areas = (ThematicArea.objects.filter(edition__in=editions_open_for_submissions())
             .exclude(entries__practice=practice).select_related("edition")
             .order_by("edition__submissions_close_at", "order"))
    form = EntryCreateForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            entry_create(practice=practice, area=form.cleaned_data["area"], by=request.user,
                         at=request.arrived_at)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The practice is entered into the area as a draft. "
                                        "Submit it before the deadline."))
            return redirect("practice_detail", pk=practice.pk)
    return render(request, "practices/entry_create.html",
                  {"form": form, "practice": practice}, status=400 if form.errors else 200)


def _entry_action(request, pk, action, template: str, done: str, is_done, possible):
    """A confirmation page (GET) and the action (POST). The page offers the action only when
    it is possible now (`possible`, the rule the service applies), and otherwise says why.
    The views are never cached, so the back button asks again and shows an entry already
    submitted (or withdrawn) as such, without the button; a second POST anyway is refused
    by the service, with its message."""
    entry = get_object_or_404(Entry.objects.select_related("practice", "area", "edition"), pk=pk)
    problems = []
    if request.method == "POST":
        try:
            # the deadline counts from when the request reached the server
            action(entry=entry, by=request.user, at=request.arrived_at)
        except ValidationError as error:
            problems = error.messages
            entry.refresh_from_db(fields=["status"])
        else:
            messages.success(request, done)
            return redirect("practice_detail", pk=entry.practice_id)
    return render(request, template,
                  {"entry": entry, "problems": problems, "already": is_done(entry),
                   "possible": possible(entry),
                   "closed": not entry.edition.is_open_for_submissions()},
                  status=400 if problems else 200)


@never_cache
@own_or_404("practices.change_entry_as_officer", _entry)
def entry_submit_view(request, pk):
    """GET asks for the confirmation; POST submits."""
    return _entry_action(request, pk, entry_submit, "practices/entry_submit.html",
                         _("The entry is submitted."),
                         lambda entry: entry.status in EntryStatus.received, can_submit_entry)


@never_cache
@own_or_404("practices.change_entry_as_officer", _entry)
def entry_withdraw_view(request, pk):
    return _entry_action(request, pk, entry_withdraw, "practices/entry_withdraw.html",
                         _("The entry is withdrawn."),
                         lambda entry: entry.status == EntryStatus.WITHDRAWN, can_withdraw_entry)


@never_cache
@own_or_404("practices.change_entry_as_officer", _entry)
def entry_discard_view(request, pk):
    """GET asks for the confirmation; POST removes the draft entry."""
    return _entry_action(request, pk, entry_discard, "practices/entry_discard.html",
                         _("The draft entry is removed."),
                         lambda entry: False, can_discard_entry)


# --- files, for every role, through one permission check -------------------------------
def _serve(request, field_file, practice, *, photos: bool, download_name: str,
           content_type: str):
    if not practice_files_visible_to(request.user, practice, photos=photos):
        # The file's existence is private: a stranger cannot tell it from a missing one.
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=not photos, filename=download_name,
                            content_type=content_type)
    response["Cache-Control"] = "private, no-store" if not photos else "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def photo_file(request, item_pk):
    photo = get_object_or_404(Photo.objects.select_related("practice"), pk=item_pk)
    name = PurePath(photo.image.name).name
    return _serve(request, photo.image, photo.practice, photos=True, download_name=name,
                  content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")


def attachment_file(request, item_pk):
    attachment = get_object_or_404(Attachment.objects.select_related("practice"), pk=item_pk)
    return _serve(request, attachment.file, attachment.practice, photos=False,
                  download_name=attachment.original_name, content_type=attachment.content_type)
