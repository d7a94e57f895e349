from django import forms
from django.utils.translation import gettext_lazy as _

from .models import JuryMember


class JuryInvitationAdminForm(forms.ModelForm):
    """The organiser invites a person by e-mail; an account is made for them if needed."""

    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), required=False)
    last_name = forms.CharField(label=_("Last name"), required=False)

    class Meta:
        model = JuryMember
        fields = ("edition", "areas")

    def clean(self):
        cleaned = super().clean()
        edition, areas = cleaned.get("edition"), cleaned.get("areas")
        if edition and areas and any(area.edition_id != edition.pk for area in areas):
            self.add_error("areas", _("Choose areas of the chosen edition only."))
        return cleaned
