"""`{% absolute_url 'name' arg %}`: a link for an e-mail, by the one rule (accounts.mail)."""

from django import template
from django.urls import reverse

from accounts.mail import absolute_url as _absolute_url

register = template.Library()


@register.simple_tag
def absolute_url(name: str, *args) -> str:
    return _absolute_url(reverse(name, args=args))
