from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from ..models import JuryMember
from ..services.jury import jury_invite_check

# What an account can hold: longer values would reach the database (PostgreSQL refuses them).
EMAIL_MAX = User._meta.get_field("email").max_length
NAME_MAX = User._meta.get_field("first_name").max_length


class InviteeFieldsMixin:
    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        jury_invite_check(email=email)
        return email


class JuryInvitationAdminForm(InviteeFieldsMixin, forms.ModelForm):
    """The organiser invites a person by e-mail; an account is made for them if needed."""

    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=NAME_MAX)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=NAME_MAX)

    class Meta:
        model = JuryMember
        fields = ("edition", "areas")

    def clean(self):
        cleaned = super().clean()
        edition, areas = cleaned.get("edition"), cleaned.get("areas")
        if edition and areas and any(area.edition_id != edition.pk for area in areas):
            self.add_error("areas", _("Choose areas of the chosen edition only."))
        return cleaned
