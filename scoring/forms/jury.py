"""Forms of the jury pages: the organiser's jury and assignments, the juror's sheet."""

from collections.abc import Iterable, Mapping

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from competitions.models import Criterion, Edition
from practices.enums import EntryStatus
from practices.models import Entry

from ..models import seated_q
from ..selectors.jury import BoardFilter, BoardState
from .invitation import EMAIL_MAX, NAME_MAX, InviteeFieldsMixin


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Refuses an id beyond a 64-bit integer as an invalid choice: Django passes the ids to
    an `__in` query, which SQLite cannot even run with such a number (a server error)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(pk)
            except (ValueError, TypeError):
                continue  # not a number at all: the parent refuses it
            if not -(2 ** 63) <= number < 2 ** 63:
                raise forms.ValidationError(self.error_messages["invalid_pk_value"],
                                            code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)


class JuryInviteForm(InviteeFieldsMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=NAME_MAX)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=NAME_MAX)
    areas = IdsChoiceField(
        label=_("Thematic areas"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for all areas of the edition."))

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = edition.areas.order_by("order", "code")


class AutoAssignForm(forms.Form):
    per_entry = forms.IntegerField(label=_("Jurors per entry"), min_value=1, max_value=50,
                                   initial=3)
    area = forms.ModelChoiceField(label=_("Thematic area"), queryset=None, required=False,
                                  empty_label=_("All areas"))

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = edition.areas.order_by("order", "code")
        self.fields["per_entry"].initial = edition.min_sheets_per_entry
        self.fields["per_entry"].help_text = _(
            "At least %(minimum)d: an entry with fewer sheets is not ranked.") % {
            "minimum": edition.min_sheets_per_entry}


class AreaEveryoneForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Thematic area"), queryset=None)

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = edition.areas.order_by("order", "code")


class ManualAssignForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("Entry"), queryset=None)
    juror = forms.ModelChoiceField(label=_("Juror"), queryset=None)

    def __init__(self, *args, edition: Edition, shown=None, **kwargs):
        """`shown`: the entries on the board's page, the only ones offered (the choice of a
        2,000-entry edition would not fit a page); any scorable entry is accepted."""
        super().__init__(*args, **kwargs)
        entries = Entry.objects.filter(edition=edition, status__in=EntryStatus.scorable)
        if shown is not None:
            entries = entries.filter(pk__in=[entry.pk for entry in shown])
        self.fields["entry"].queryset = entries.select_related("practice", "area")
        self.fields["juror"].queryset = User.objects.filter(
            seated_q("jury_memberships__"), jury_memberships__edition=edition)
        self.fields["juror"].label_from_instance = lambda user: (
            user.get_full_name() or user.username)


class BoardFilterForm(forms.Form):
    """The filters of the organiser's boards (jury progress, assignments), read from GET:
    anything invalid is simply not applied."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("Practice or municipality name."))
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int, empty_value=None,
                                  widget=forms.Select(attrs={"class": "form-select"}))
    state = forms.ChoiceField(label=_("State"), required=False,
                              widget=forms.Select(attrs={"class": "form-select"}), choices=[
        ("", _("Any")), (BoardState.UNASSIGNED, _("Nobody assigned yet")),
        (BoardState.SHORT, _("Fewer submitted sheets than the minimum"))])

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("Every area"))] + [
            (area.pk, f"{area.code} – {area.display_title}")
            for area in edition.areas.order_by("order", "code")]

    def board(self, page: str = "") -> BoardFilter:
        data = self.cleaned_data if self.is_valid() else {}
        page = page.strip()
        number = min(int(page), 100_000) if page.isascii() and page.isdigit() else 1
        return BoardFilter(q=(data.get("q") or "").strip(), area=data.get("area"),
                           state=data.get("state") or "", page=max(number, 1))


class ReminderForm(forms.Form):
    juror = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you have a conflict of interest"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Only the organisers read this. The sheet will not count."))


def _clean_text(value: str) -> str:
    """Comments are text: a NUL character (which PostgreSQL cannot store) is dropped."""
    return value.replace("\x00", "")


def sheet_values_from_post(data: Mapping[str, str], criteria: Iterable[Criterion]
                           ) -> tuple[dict[int, int | None], dict[int, str], str | None,
                                      dict[str, list[str]]]:
    """The sheet fields present in a POST (a whole form, or one autosaved field): scores,
    comments per criterion, the overall comment (None when absent) and parse errors."""
    scores: dict[int, int | None] = {}
    comments: dict[int, str] = {}
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        score_field, comment_field = f"score-{criterion.pk}", f"comment-{criterion.pk}"
        if score_field in data:
            raw = data[score_field].strip()
            if raw == "":
                scores[criterion.pk] = None
            else:
                try:
                    scores[criterion.pk] = int(raw)
                except ValueError:
                    errors[score_field] = [
                        gettext("“%(criterion)s”: the score must be a whole number.")
                        % {"criterion": criterion.display_title}]
        if comment_field in data:
            comments[criterion.pk] = _clean_text(data[comment_field])[:10000]
    overall = (_clean_text(data["overall_comment"])[:20000]
               if "overall_comment" in data else None)
    return scores, comments, overall, errors

