"""`{% localized obj "field" %}`: a text in the UI's language where there is one; where it
falls back to another language, the text carries its `lang` and a small badge says which
language it is in ("(in English)"). The choice of text is LocalizedMixin.localized's."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from competitions.models import LocalizedText

register = template.Library()


def language_label(code: str) -> str:
    """"in English", "in Bulgarian", ... in the UI's language."""
    known = {"en": _("in English"), "bg": _("in Bulgarian")}
    base = code.split("-")[0]
    if base in known:
        return known[base]
    try:
        name = get_language_info(base)["name_translated"]
    except KeyError:
        name = base
    return _("in %(language)s") % {"language": name}


def language_marked(text: LocalizedText, *, linebreaks: bool = False) -> SafeString:
    body = linebreaksbr(text, autoescape=True) if linebreaks else conditional_escape(text)
    if not isinstance(text, LocalizedText) or not text.fallback:
        return body
    return format_html(
        '<span lang="{}">{}</span> <span class="badge text-bg-light border fw-normal '
        'text-body-secondary" lang="{}" data-fallback="{}">({})</span>',
        text.lang, body, get_language() or "en", text.lang, language_label(text.lang))


@register.simple_tag
def localized(obj, field: str, linebreaks: bool = False) -> SafeString:
    if obj is None:
        return ""
    return language_marked(obj.localized(field), linebreaks=linebreaks)


@register.filter
def in_language(text, mode: str = "") -> SafeString:
    """The same for a text already chosen (`{{ practice.localized_summary|in_language }}`,
    `|in_language:"linebreaks"`)."""
    return language_marked(text, linebreaks=mode == "linebreaks")
