"""`{% open_data_license as licence %}`: the licence of the published data
(settings.OPEN_DATA_LICENSE), for pages rendered without a request's context."""

from django import template

from portal.showcase.licence import open_data_license

register = template.Library()


@register.simple_tag
def open_data_licence() -> dict:
    return open_data_license()
