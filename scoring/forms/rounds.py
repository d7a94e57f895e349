"""The organiser's forms for rounds and shortlists, and the site-visit form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from competitions.models import Edition, ThematicArea
from practices.enums import EntryStatus
from practices.models import Entry

from ..enums import RunStatus, ShortlistRule
from ..models import JudgingRound, RankingRun

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RoundAddForm(forms.Form):
    """A round after the last. Validate inside `timezone.override(edition.tz)`."""

    review_open_at = forms.DateTimeField(label=_("Scoring opens"), widget=_DATETIME,
                                         help_text=_("In the edition's time zone."))
    review_close_at = forms.DateTimeField(label=_("Scoring closes"), widget=_DATETIME,
                                          help_text=_("In the edition's time zone."))
    shortlist_rule = forms.ChoiceField(label=_("Shortlist rule"), choices=ShortlistRule.choices)
    shortlist_top_n = forms.IntegerField(label=_("Entries per area (top N)"), min_value=1,
                                         required=False)
    shortlist_threshold = forms.DecimalField(label=_("Lowest total shortlisted"),
                                             required=False, max_digits=7, decimal_places=3)

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(edition.criteria.order_by("order"))
        for criterion in self.criteria:
            self.fields[f"weight_{criterion.pk}"] = forms.DecimalField(
                label=_("Weight of “%(criterion)s” in this round")
                % {"criterion": criterion.display_title},
                required=False, min_value=0, max_digits=6, decimal_places=3,
                help_text=_("Empty: the edition's weight (%(weight)s).")
                % {"weight": criterion.weight})

    def weights(self) -> dict[int, float]:
        return {c.pk: float(self.cleaned_data[f"weight_{c.pk}"]) for c in self.criteria
                if self.cleaned_data.get(f"weight_{c.pk}") is not None}


class ShortlistRuleForm(forms.Form):
    """Apply a rule to a finished run of the round before."""

    run = forms.ModelChoiceField(label=_("Ranking run of the round before"), queryset=None)
    rule = forms.ChoiceField(label=_("Rule"), choices=[
        (ShortlistRule.TOP_N, ShortlistRule.TOP_N.label),
        (ShortlistRule.THRESHOLD, ShortlistRule.THRESHOLD.label)])
    top_n = forms.IntegerField(label=_("N"), min_value=1, required=False)
    threshold = forms.DecimalField(label=_("Lowest total"), required=False, max_digits=7,
                                   decimal_places=3)

    def __init__(self, *args, previous: JudgingRound, judging_round: JudgingRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = RankingRun.objects.filter(
            round=previous, status=RunStatus.SUCCEEDED).order_by("-created_at")
        self.fields["run"].label_from_instance = lambda run: (
            f"#{run.pk} · {run.get_method_display()} · {run.created_at:%Y-%m-%d %H:%M}")
        if not self.is_bound:
            self.initial.setdefault("rule", judging_round.shortlist_rule
                                    if judging_round.shortlist_rule != ShortlistRule.BY_HAND
                                    else ShortlistRule.TOP_N)
            self.initial.setdefault("top_n", judging_round.shortlist_top_n)
            self.initial.setdefault("threshold", judging_round.shortlist_threshold)


class ShortlistHandForm(forms.Form):
    """Put one entry on the shortlist, or take it off, with a reason."""

    ADD, REMOVE = "add", "remove"
    entry = forms.ModelChoiceField(label=_("Entry"), queryset=None)
    change = forms.ChoiceField(label=_("Change"), choices=[(ADD, _("Put on the shortlist")),
                                                            (REMOVE, _("Take off the shortlist"))])
    reason = forms.CharField(label=_("Why"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, area: ThematicArea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = (
            Entry.objects.filter(area=area, status__in=EntryStatus.ranked)
            .select_related("practice__municipality").order_by("practice__title", "pk"))
        self.fields["entry"].label_from_instance = lambda entry: (
            f"{entry.practice.display_title} ({entry.practice.municipality.display_name})")


class SiteVisitForm(forms.Form):
    notes = forms.CharField(label=_("Notes of the visit"), max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("File (optional)"), required=False,
                           help_text=_("At most 10 MB: a report, photos in a PDF."))
