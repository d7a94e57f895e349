import unicodedata

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from competitions.models import Municipality

from .enums import EmailKind, EmailStatus
from .mail import absolute_url, queue_email
from .models import PrivacyNotice, User
from .privacy import NOTICE_CHANGED, privacy_notice_current
from .services import EMAIL_TAKEN


class PrivacyConsentForm(forms.Form):
    """Agreement to the privacy notice's version in force, on every form that collects
    personal data; the version shown travels with the form, so a consent names the text the
    person was shown (a newer version published meanwhile asks again)."""

    privacy_notice = forms.IntegerField(widget=forms.HiddenInput)
    privacy_consent = forms.BooleanField(required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        notice = privacy_notice_current()
        self.fields["privacy_notice"].initial = notice.version
        self.fields["privacy_consent"].label = format_html(
            gettext("I have read the {link} (version {version}) and agree to my personal data "
                    "being processed as it describes."),
            link=format_html('<a href="{}" target="_blank">{}</a>', reverse("privacy_notice"),
                             gettext("privacy notice")),
            version=notice.version)

    def clean_privacy_notice(self) -> PrivacyNotice | None:
        notice = privacy_notice_current()
        if self.cleaned_data["privacy_notice"] != notice.version:
            # on the form, not on the hidden field (whose errors no page shows)
            self.add_error(None, NOTICE_CHANGED)
            return None
        return notice

    @property
    def notice(self) -> PrivacyNotice:
        return self.cleaned_data["privacy_notice"]


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return f"{obj.display_name} ({obj.display_region})"


def sort_key(text: str) -> str:
    """The order of names in the interface's language: Bulgarian's alphabet is Unicode's
    Cyrillic order; Latin names sort without case or accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class OfficerRegistrationForm(PrivacyConsentForm, UserCreationForm):
    """A municipal officer asks for an account; an organiser approves it (agreeing to the
    privacy notice: PrivacyConsentForm's fields come last)."""

    municipality = MunicipalityChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name"),
        help_text=_("The municipality or district administration you act for."))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email", "municipality", "position",
                  "phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        # The names in the interface's language, in its order (the query orders by the
        # Bulgarian name); a type-ahead filter over the select (accounts/municipality-picker.js).
        field = self.fields["municipality"]
        options = sorted(((item.pk, field.label_from_instance(item)) for item in field.queryset),
                         key=lambda option: sort_key(option[1]))
        field.choices = [("", field.empty_label), *options]
        field.widget.attrs.update({
            "data-typeahead": "",
            "data-filter-label": gettext("Find your municipality: type part of its name"),
            "data-count": gettext("Matching municipalities: %(count)s"),
        })

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN)
        return email


class LoginForm(AuthenticationForm):
    """Django's sign-in form, refusing a user name longer than any account can have before it
    reaches authentication: django-axes would fail to record such an attempt (its username
    column holds 255 characters), a server error instead of "wrong user name or password".
    The field takes an e-mail address or a user name (accounts.backends), and says so."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Please enter a correct e-mail address or user name and password. "
                           "Note that the password is case-sensitive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.label = _("E-mail address or user name")
        field.max_length = max(field.max_length, User._meta.get_field("email").max_length)
        field.widget.attrs["maxlength"] = field.max_length
        field.validators.append(MaxLengthValidator(field.max_length))


class SignInUnlockForm(forms.Form):
    """Which lockout to lift: the user name and the address, as the lockout page lists them."""

    username = forms.CharField(max_length=255)
    ip_address = forms.GenericIPAddressField()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's password reset, sent like every other e-mail: the link starts with SITE_URL
    (not the host of the request that asked), and the text is in the person's language."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None) -> None:
        user = context["user"]
        context = {**context, "url": absolute_url(reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"],
                                              "token": context["token"]}))}
        queue_email(to=[user], template="registration/password_reset", context=context)


class OutboxFilterForm(forms.Form):
    """The outbox's filters: what the e-mail was about, whether it left, to whom."""

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *EmailKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *EmailStatus.choices])
    recipient = forms.CharField(label=_("Recipient"), required=False, max_length=254,
                                help_text=_("Part of the e-mail address."))

    def filters(self) -> dict:
        """The valid filters (an invalid one is ignored, not an error page)."""
        if not self.is_valid():
            return {name: self.cleaned_data.get(name, "") for name in self.fields
                    if name not in self.errors}
        return {name: (value or "").strip() for name, value in self.cleaned_data.items()}


class SecondFactorCodeForm(forms.Form):
    """A code of the authenticator app (or, where allowed, a recovery code)."""

    code = forms.CharField(
        label=_("Code"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "inputmode": "text", "spellcheck": "false",
                                      "autocapitalize": "off"}))
