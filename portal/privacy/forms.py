from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import PrivacyNotice


class PrivacyNoticeForm(forms.ModelForm):
    """A new version of the privacy notice, in both languages (accounts.privacy publishes it)."""

    class Meta:
        model = PrivacyNotice
        fields = ("title", "body", "title_en", "body_en", "changes")
        widgets = {"body": forms.Textarea(attrs={"rows": 14}),
                   "body_en": forms.Textarea(attrs={"rows": 14})}
        labels = {"title": _("Title in Bulgarian"), "body": _("Text in Bulgarian")}
        help_texts = {"changes": _("A line for the list of versions, e.g. “New retention "
                                   "periods”."),
                      "body": _("Plain text: an empty line starts a new paragraph.")}


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        required=True, label=_("The person asked for their data to be erased, and I checked "
                               "that the request comes from them."))
