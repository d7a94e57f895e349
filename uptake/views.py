"""Follow-up reports (officers write, organisers check), adoptions and questions between
municipalities. Every permission is checked here, on the server."""

import mimetypes
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.views import permission_required

from accounts.throttle import Limit, throttle
from practices.forms import PracticeForm
from practices.models import Practice
from practices.rules import is_officer_of_practice
from practices.selectors import criteria_links
from practices.services import practice_create
from practices.views import UPLOADS, _form_errors, own_or_404
from scoring.selectors.public import practice_is_public

from .forms import (
    AdoptionForm,
    AnswerForm,
    FollowUpDecisionForm,
    FollowUpForm,
    FollowUpPhotoForm,
    QuestionForm,
)
from .models import FollowUpPhoto, FollowUpReport, Question
from .rules import follow_up_is_checkable, follow_up_is_writable
from .selectors import (
    follow_up_for_page,
    follow_up_latest,
    follow_up_photos_public,
    follow_ups_of_municipality,
    follow_ups_to_check,
    question_for_page,
)
from .services import (
    adoption_record,
    follow_up_decide,
    follow_up_photo_add,
    follow_up_submit,
    practice_sustained_initial,
    question_answer,
    question_send,
)

QUESTIONS = Limit("officer", "THROTTLE_QUESTIONS_PER_OFFICER", "user",
                  gettext_lazy("You sent too many questions in a short time."))


def _report(request, pk):
    return get_object_or_404(FollowUpReport.objects.select_related("practice"), pk=pk)


def _public_practice(request, pk):
    """A published practice, or 404 for anyone (existence of the others is private)."""
    practice = get_object_or_404(Practice.objects.select_related("municipality"), pk=pk)
    if not practice_is_public(practice):
        raise Http404
    return practice


def _question(request, pk):
    return get_object_or_404(Question.objects.select_related("practice"), pk=pk)


# --- officers: follow-up reports --------------------------------------------------------
@permission_required("uptake.view_own_follow_ups", raise_exception=True)
def follow_up_list(request):
    return render(request, "uptake/follow_up_list.html", {
        "reports": follow_ups_of_municipality(municipality=request.user.municipality)})


def _own(request, permission: str, obj) -> None:
    """Another municipality's report or question is private: 404, not 403."""
    if not request.user.has_perm(permission, obj):
        raise Http404


@login_required
def follow_up_edit(request, pk):
    _own(request, "uptake.write_follow_up", _report(request, pk))
    report = follow_up_for_page(pk=pk)
    writable = follow_up_is_writable(report)
    form = FollowUpForm(request.POST or None, instance=report)
    if request.method == "POST" and writable and form.is_valid():
        try:
            follow_up_submit(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Thank you: the report is sent to the organisers, who "
                                        "check it before it appears on the public page."))
            return redirect("followup_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "uptake/follow_up_form.html", {
        "report": report, "form": form, "writable": writable,
        "photo_form": FollowUpPhotoForm()}, status=status)


@login_required
@throttle("practice_upload", UPLOADS)
def follow_up_photo_add_view(request, pk):
    _own(request, "uptake.write_follow_up", _report(request, pk))
    report = follow_up_for_page(pk=pk)
    form = FollowUpPhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_photo_add(report=report, upload=form.cleaned_data["image"],
                                caption=form.cleaned_data["caption"],
                                alt_text=form.cleaned_data["alt_text"], by=request.user)
        except ValidationError as error:
            _form_errors(form, error, "image")
        else:
            messages.success(request, _("The photo is added."))
            return redirect("followup_edit", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "uptake/follow_up_photo_form.html",
                  {"form": form, "report": report}, status=status)


@own_or_404("practices.change_practice_as_officer",
            lambda request, pk: get_object_or_404(Practice, pk=pk))
def practice_sustain(request, pk):
    """The practice entered again, in a later edition, as "sustained and upgraded": a new
    draft whose form starts from the practice and what its follow-up recorded."""
    practice = get_object_or_404(Practice, pk=pk)
    report = follow_up_latest(practice=practice)
    form = PracticeForm(request.POST or None,
                        initial=practice_sustained_initial(practice=practice, report=report))
    if request.method == "POST" and form.is_valid():
        try:
            created = practice_create(municipality=request.user.municipality, by=request.user,
                                      data=form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The practice is saved as a draft."))
            return redirect("practice_detail", pk=created.pk)
    return render(request, "practices/practice_form.html", {
        "form": form, "practice": None, "can_edit": True, "sustained_from": practice,
        "follow_up": report, "criteria": criteria_links(practice=None)})


# --- organisers: checking reports ---------------------------------------------------------
@permission_required("uptake.check_follow_ups", raise_exception=True)
def organiser_follow_up_list(request):
    return render(request, "uptake/organiser_follow_up_list.html",
                  {"reports": follow_ups_to_check()})


@permission_required("uptake.check_follow_ups", raise_exception=True)
def organiser_follow_up_check(request, pk):
    report = get_object_or_404(FollowUpReport, pk=pk)
    report = follow_up_for_page(pk=report.pk)
    form = FollowUpDecisionForm(request.POST or None)
    if request.method == "POST" and follow_up_is_checkable(report) and form.is_valid():
        try:
            follow_up_decide(report=report, by=request.user,
                             approve=form.cleaned_data["decision"] == "approve",
                             reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("organiser_followup_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "uptake/organiser_follow_up_check.html", {
        "report": report, "form": form, "checkable": follow_up_is_checkable(report)},
        status=status)


def follow_up_photo_file(request, item_pk):
    """A follow-up photo: the public's once its report is approved and its practice public;
    before, its municipality's officers' and the organisers'; 404 for anyone else."""
    item = get_object_or_404(FollowUpPhoto.objects.select_related("report__practice"),
                             pk=item_pk)
    public = follow_up_photos_public().filter(pk=item.pk).exists()
    if not public and not request.user.has_perm("uptake.view_follow_up_photo", item.report):
        raise Http404
    try:
        handle = item.image.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(item.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


# --- adoptions and questions between municipalities ---------------------------------------
def _own_practice_sent_back(view):
    """The links to these pages are on the public practice page, the same for everyone (its
    body is cached): an officer of the practice's own municipality who follows one is sent
    back to the practice with a word, not answered 403."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        practice = _public_practice(request, pk)
        if is_officer_of_practice(request.user, practice):
            messages.info(request, _("This is your municipality's practice: other "
                                     "municipalities record adopting it and ask you about it "
                                     "here. Their questions come to you by e-mail."))
            return redirect("showcase:practice", pk=practice.pk)
        return view(request, pk, *args, **kwargs)

    return wrapper


@login_required  # a visitor is sent to sign in (the link is on public pages)
@_own_practice_sent_back
@permission_required("uptake.adopt_practice", fn=_public_practice, raise_exception=True)
def practice_adopt(request, pk):
    practice = _public_practice(request, pk)
    form = AdoptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            adoption_record(practice=practice, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Recorded: the practice page now shows that your "
                                        "municipality adopted it, and its municipality is "
                                        "told."))
            return redirect("showcase:practice", pk=practice.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "uptake/adopt_form.html", {"practice": practice, "form": form},
                  status=status)


@login_required  # a visitor is sent to sign in (the link is on public pages)
@_own_practice_sent_back
@permission_required("uptake.ask_about_practice", fn=_public_practice, raise_exception=True)
@throttle("practice_question", QUESTIONS)
def practice_ask(request, pk):
    practice = _public_practice(request, pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = question_send(practice=practice, by=request.user,
                                     text=form.cleaned_data["text"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your question is sent. The answer will come to you "
                                        "by e-mail and on this page."))
            return redirect("question_page", pk=question.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "uptake/ask_form.html", {"practice": practice, "form": form},
                  status=status)


@login_required
def question_page(request, pk):
    _own(request, "uptake.view_question", _question(request, pk))
    question = question_for_page(pk=pk)
    can_answer = request.user.has_perm("uptake.answer_question", question)
    form = AnswerForm(request.POST or None) if can_answer else None
    if request.method == "POST" and form is not None and form.is_valid():
        question_answer(question=question, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your answer is sent."))
        return redirect("question_page", pk=pk)
    return render(request, "uptake/question.html", {
        "question": question, "form": form, "can_answer": can_answer})


