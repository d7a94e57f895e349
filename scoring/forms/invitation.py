from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import MunicipalityChoiceField, sort_key
from accounts.models import User
from competitions.models import Municipality

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


class JuryOnboardingForm(forms.ModelForm):
    """What a juror declares on accepting the invitation: the affiliations the conflict rule
    reads (a municipality, a region, an organisation) and their agreement to the declaration
    of confidentiality and conduct shown above the form."""

    declaration = forms.BooleanField(
        label=_("I have read the declaration of confidentiality and conduct and I agree to it."),
        required=True)

    class Meta:
        model = JuryMember
        fields = ("affiliated_municipality", "affiliated_region", "affiliated_organisation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.filter(
            country=self.instance.edition.country).order_by("name")
        field = MunicipalityChoiceField(
            queryset=municipalities, required=False,
            label=self.fields["affiliated_municipality"].label,
            help_text=self.fields["affiliated_municipality"].help_text)
        field.choices = [("", "---------"), *sorted(
            ((m.pk, field.label_from_instance(m)) for m in municipalities),
            key=lambda option: sort_key(option[1]))]
        self.fields["affiliated_municipality"] = field
        regions = {m.region: m.display_region for m in municipalities}
        self.fields["affiliated_region"] = forms.ChoiceField(
            label=self.fields["affiliated_region"].label,
            help_text=self.fields["affiliated_region"].help_text, required=False,
            choices=[("", "---------"), *sorted(regions.items(),
                                                  key=lambda item: sort_key(item[1]))])
