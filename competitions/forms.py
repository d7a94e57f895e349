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
