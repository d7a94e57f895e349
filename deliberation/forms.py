from django import forms
from django.utils.translation import gettext_lazy as _

from .services import COMMENT_MAX


class ChairForm(forms.Form):
    area = forms.IntegerField(widget=forms.HiddenInput)
    user = forms.ChoiceField(label=_("Chair"))

    def __init__(self, *args, jury=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "---------")] + [
            (user.pk, user.get_full_name() or user.username) for user in jury]


class PanelSettingsForm(forms.Form):
    show_names = forms.BooleanField(
        label=_("Show jurors' names on the panels"), required=False,
        help_text=_("Otherwise the panel calls them Juror A, Juror B, ..."))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment to the panel"), max_length=COMMENT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AgreementForm(forms.Form):
    position = forms.ChoiceField(label=_("Position"), choices=[
        ("agrees", _("Agrees")), ("dissents", _("Dissents"))])
