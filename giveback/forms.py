from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import CommentDecision


class CommentDecisionForm(forms.Form):
    """The organiser's decision on one comment of the entry's page (sheet and criterion
    name it; no criterion: the sheet's overall comment)."""

    sheet = forms.IntegerField(widget=forms.HiddenInput)
    criterion = forms.IntegerField(required=False, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=CommentDecision.choices)
    text = forms.CharField(label=_("Text released"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), max_length=8000)
