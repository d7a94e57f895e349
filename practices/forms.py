from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from competitions.models import ThematicArea

from .enums import EntryStatus, InnovationType
from .models import Practice, Topic
from .selectors import CONTENT_LANGUAGE, PRACTICE_SECTIONS, practice_field_language, topics_offered
from .services import PracticeChanged, practice_version
from .validators import ATTACHMENT_SUFFIXES, PHOTO_SUFFIXES, photo_max_pixels


def _megapixels() -> str:
    return f"{photo_max_pixels() / 1_000_000:g}"

# The sections of the practice form, in the order of the programme's call.
SECTIONS = PRACTICE_SECTIONS
# The fields written twice, in the practice's own language and in English: every section
# (LocalizedMixin shows the visitor's language and says when only the other one exists).
BILINGUAL = ("title", "summary", "problem", "actions", "partners", "budget", "results",
             "upgrade_description")


def _language_name(code: str) -> str:
    """A language's name as it reads inside a sentence of the interface's language: English
    capitalises language names, Bulgarian (and the programme's other languages) does not."""
    name = str(get_language_info(code)["name_translated"])
    return name if (get_language() or "en").startswith("en") else name.lower()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PracticeForm(forms.ModelForm):
    """Everything but the title may stay empty: a draft is saved at any time. The hidden
    version is the practice's as the form was opened (see services.practice_update)."""

    version = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    class Meta:
        model = Practice
        fields = [name for _title, names in SECTIONS for name in names]
        widgets = {name: DateInput() for name in ("started_on", "implemented_on", "upgraded_on")}
        widgets.update({name: forms.Textarea(attrs={"rows": 4}) for base in (
            "summary", "problem", "actions", "partners", "budget", "results",
            "upgrade_description") for name in (base, f"{base}_en")})
        widgets["links"] = forms.Textarea(attrs={"rows": 3})
        widgets["topics"] = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("version", *[
            Fieldset(str(title), *names, css_class="border rounded p-3 mb-3")
            for title, names in SECTIONS])
        if self.instance.pk:
            self.fields["version"].initial = practice_version(self.instance)
        topics = self.fields["topics"]
        topics.queryset = topics_offered(practice=self.instance if self.instance.pk else None)
        topics.label_from_instance = lambda topic: topic.display_name
        topics.help_text = gettext("The organisers check the kind of innovation and the "
                                   "topics, and may correct them.")
        language, english = (_language_name(code) for code in (CONTENT_LANGUAGE, "en"))
        for name in BILINGUAL:
            base = capfirst(Practice._meta.get_field(name).verbose_name)
            self.fields[name].label = gettext("%(field)s (in %(language)s)") % {
                "field": base, "language": language}
            self.fields[f"{name}_en"].label = gettext("%(field)s (in %(language)s)") % {
                "field": base, "language": english}
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and name not in (
                    "version", "contact_email", "contact_phone", "budget_currency"):
                field.widget.attrs["lang"] = practice_field_language(name)
            max_length = getattr(field, "max_length", None)
            if max_length and name != "version" and not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["maxlength"] = max_length
                field.widget.attrs["data-counter"] = ""
                hint = gettext("At most %(count)s characters.") % {"count": max_length}
                field.help_text = f"{field.help_text} {hint}".strip() if field.help_text else hint

    def after_change(self, changed: PracticeChanged) -> "PracticeForm":
        """The form again after a save refused because the practice changed since it was
        opened: the officer's values are kept, the fields only the other save changed take
        the saved values, each conflict says what is saved now, and the version is the
        current one, so that saving again saves."""
        data = self.data.copy()
        data["version"] = changed.version
        for name, value in changed.taken.items():
            if isinstance(self.fields[name].widget, forms.CheckboxInput):
                data.setlist(name, ["on"] if value else [])
            else:
                data[name] = self._shown(name, value)
        form = PracticeForm(data, instance=self.instance)
        form.full_clean()
        form.add_error(None, changed.messages[0])
        for name, value in changed.conflicts.items():
            if isinstance(value, bool):
                value = gettext("yes") if value else gettext("no")
            form.add_error(name, gettext(
                "Changed in the meantime; saved now: “%(value)s”. Your version is kept "
                "here: choose one, then save again.")
                % {"value": self._shown(name, value) or gettext("(empty)")})
        return form

    def _shown(self, name: str, value) -> str:
        """A model value as this form's field shows it."""
        if value is None:
            return ""
        return str(self.fields[name].widget.format_value(value) or "")


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo"),
                            widget=forms.ClearableFileInput(
                                attrs={"accept": ",".join(PHOTO_SUFFIXES)}))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    alt_text = forms.CharField(label=_("Description for screen readers"), max_length=300,
                               required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = gettext(
            "JPEG, PNG or WebP, at most %(megapixels)s megapixels.") % {
            "megapixels": _megapixels()}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"),
                           widget=forms.ClearableFileInput(
                               attrs={"accept": ",".join(ATTACHMENT_SUFFIXES)}))
    title = forms.CharField(label=_("Title"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "PDF, office documents (Word, Excel, PowerPoint, OpenDocument) or images of at "
            "most %(megapixels)s megapixels.") % {"megapixels": _megapixels()}


class EntryCreateForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Thematic area"), queryset=ThematicArea.objects.none())

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = (
            lambda area: f"{area.edition.display_title}: {area.code}. {area.display_title}")


class EligibilityForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda value: value == "eligible",
        choices=[("eligible", _("Eligible")), ("ineligible", _("Not eligible"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision: eligible or not eligible.")})
    reason = forms.CharField(label=_("Reason (the municipality's officers see it)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EntryFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Thematic area"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(EntryStatus.choices))
    region = forms.CharField(label=_("Region"), required=False)
    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All"))] + [
            (area.code, f"{area.code}. {area.display_title}") for area in areas]


class TopicForm(forms.ModelForm):
    """A topic of the organiser's list (saved through services.topic_save)."""

    class Meta:
        model = Topic
        fields = ["name", "name_en", "slug", "order", "is_active"]


class ClassificationForm(forms.Form):
    """The organiser's check of a practice's kind of innovation and topics."""

    innovation_type = forms.ChoiceField(label=_("Kind of innovation"), required=False,
                                        choices=[("", "---------"), *InnovationType.choices])
    topics = forms.ModelMultipleChoiceField(label=_("Topics"), required=False,
                                            queryset=Topic.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.order_by("order", "name")
        self.fields["topics"].label_from_instance = lambda topic: (
            topic.display_name if topic.is_active
            else gettext("%(topic)s (no longer offered)") % {"topic": topic.display_name})
