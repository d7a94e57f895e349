"""Forms of the organiser's results page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import RankingMethod


class RunStartForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=RankingMethod.choices,
                               initial=RankingMethod.WEIGHTED_MEAN)
    # The round whose sheets are ranked, by number (empty: the edition's current round).
    round = forms.IntegerField(label=_("Round"), required=False, min_value=1)


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked this run: publish its places."),
        required=True)


class UnpublishForm(forms.Form):
    reason = forms.CharField(label=_("Why are the results withdrawn?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the results are unpublished."))
        return reason


class ResultsQueryForm(forms.Form):
    """The run shown, the run it is compared with, and one area shown in full."""

    run = forms.IntegerField(required=False, min_value=1)
    compare = forms.IntegerField(required=False, min_value=1)
    area = forms.IntegerField(required=False, min_value=1)
