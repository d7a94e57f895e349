from django import forms
from django.utils.translation import gettext_lazy as _

from portal.selectors import SHOWCASE_SORTS, ShowcaseChoices, ShowcaseFilters
from practices.enums import InnovationType

# The filters of /showcase/ in the order of its URL and its form.
FILTER_NAMES = ("q", "edition", "area", "type", "topic", "region", "municipality", "award",
                "sort")


class ShowcaseFilterForm(forms.Form):
    """The filters of /showcase/, kept in the URL (a GET form). Unknown values are ignored
    rather than rejected: a shared link with a stale value still shows something."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=forms.SearchInput(attrs={
                            "placeholder": _("Title, summary or municipality")}))
    edition = forms.ChoiceField(label=_("Edition"), required=False)
    area = forms.TypedChoiceField(label=_("Thematic area"), required=False, coerce=int,
                                  empty_value=None)
    region = forms.ChoiceField(label=_("Region"), required=False)
    municipality = forms.TypedChoiceField(label=_("Municipality"), required=False, coerce=int,
                                          empty_value=None)
    award = forms.ChoiceField(label=_("Award"), required=False)
    type = forms.ChoiceField(label=_("Kind of innovation"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    field_order = FILTER_NAMES

    def __init__(self, *args, choices: ShowcaseChoices, **kwargs):
        super().__init__(*args, **kwargs)
        any_ = ("", _("Any"))
        self.fields["edition"].choices = [any_] + [(e.slug, e.display_title)
                                                   for e in choices.editions]
        self.fields["area"].choices = [any_] + [
            (a.pk, f"{a.code}. {a.display_title} ({a.edition.year_label or a.edition.slug})")
            for a in choices.areas]
        self.fields["region"].choices = [any_] + list(choices.regions)
        self.fields["municipality"].choices = [any_] + [(m.pk, m.display_name)
                                                        for m in choices.municipalities]
        places = [(str(n), _("Place %(place)s") % {"place": n})
                  for n in range(1, choices.max_awards + 1)]
        self.fields["award"].choices = [any_, ("winner", _("Any award"))] + places
        self.fields["type"].choices = [any_, *InnovationType.choices]
        self.fields["topic"].choices = [any_] + [(t.slug, t.display_name)
                                                 for t in choices.topics]
        labels = {"newest": _("Newest first"), "award": _("Awards first"),
                  "title": _("Title")}
        self.fields["sort"].choices = [("", labels["newest"])] + [
            (name, labels[name]) for name in SHOWCASE_SORTS[1:]]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filters(self) -> ShowcaseFilters:
        """The valid filters; an invalid value counts as "any"."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        values = {}
        for name in FILTER_NAMES:
            if name not in self.errors:
                values[name] = data.get(name)
        return ShowcaseFilters(
            edition=values.get("edition") or "", area=values.get("area"),
            region=values.get("region") or "", municipality=values.get("municipality"),
            award=values.get("award") or "", q=(values.get("q") or "").strip(),
            type=values.get("type") or "", topic=values.get("topic") or "",
            sort=values.get("sort") or "")


def filter_values(choices: ShowcaseChoices) -> dict[str, frozenset[str]]:
    """The values each filter accepts, as the form would (its choices' values as text): a
    small thing to cache, so that a request reads the filters without building the form."""
    form = ShowcaseFilterForm(choices=choices)
    return {name: frozenset(str(value) for value, _label in form.fields[name].choices
                            if value != "")
            for name in FILTER_NAMES if name != "q"}


def filters_from(data, values: dict[str, frozenset[str]]) -> ShowcaseFilters:
    """`ShowcaseFilterForm(data).filters()` without the form (the same answer: a value not
    offered, or a search longer than the field allows, counts as "any")."""
    found = {}
    for name in FILTER_NAMES:
        raw = data.get(name, "")
        raw = raw if isinstance(raw, str) else ""
        if name == "q":
            found[name] = raw.strip() if len(raw) <= ShowcaseFilterForm.base_fields[
                "q"].max_length else ""
        else:
            found[name] = raw if raw in values.get(name, ()) else ""
    return ShowcaseFilters(
        edition=found["edition"], area=int(found["area"]) if found["area"] else None,
        region=found["region"],
        municipality=int(found["municipality"]) if found["municipality"] else None,
        award=found["award"], q=found["q"], type=found["type"], topic=found["topic"],
        sort=found["sort"])
