from django import forms
from django.utils.translation import gettext_lazy as _

MAX_CSV_BYTES = 2 * 1024 * 1024


class MunicipalityImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with the columns code, name_bg, name_en, region_bg, region_en, "
                    "kind, parent_code (as in municipalities-bg.csv)."))
    country = forms.CharField(label=_("Country"), max_length=2, initial="BG")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class PhaseMoveForm(forms.Form):
    """An organiser's move of an edition's phase, from the console: confirmed in a second step.
    Validate it inside `timezone.override(edition.tz)`: the new date is in the edition's zone."""

    target = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    new_date = forms.DateTimeField(
        label=_("New closing time"), required=False,
        help_text=_("In the edition's time zone."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SetupUnlockForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
