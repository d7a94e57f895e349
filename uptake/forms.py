from django import forms
from django.utils.translation import gettext_lazy as _

from practices.forms import DateInput, PhotoForm

from .enums import AdoptionKind, PracticeState
from .models import Adoption, FollowUpReport


class FollowUpForm(forms.ModelForm):
    state = forms.ChoiceField(label=_("The practice is"), choices=PracticeState.choices,
                              widget=forms.RadioSelect)

    class Meta:
        model = FollowUpReport
        fields = ["state", "figures", "text"]
        widgets = {"figures": forms.Textarea(attrs={"rows": 3}),
                   "text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = True


FollowUpPhotoForm = PhotoForm  # the same fields and checks as a practice's photo


class FollowUpDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("approve", _("Approve: show it on the public page")),
        ("reject", _("Send it back to the municipality"))])
    reason = forms.CharField(label=_("Reason (when sending it back)"), required=False,
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AdoptionForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("How"), choices=AdoptionKind.choices,
                             widget=forms.RadioSelect, initial=AdoptionKind.ADOPTED)

    class Meta:
        model = Adoption
        fields = ["kind", "adopted_on", "note"]
        widgets = {"adopted_on": DateInput(), "note": forms.Textarea(attrs={"rows": 4})}


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Your e-mail address is not shown: the answer comes "
                                       "through the portal."))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Your e-mail address is not shown to the municipality "
                                       "that asked."))
