"""A person's language follows the interface they use: remembered when they sign in (and
when they switch, in `views.language_switch`), so their e-mails are written in it."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .services import user_language_set


@receiver(user_logged_in, dispatch_uid="accounts.language_on_sign_in")
def remember_language_on_sign_in(sender, request, user, **kwargs) -> None:
    language = getattr(request, "LANGUAGE_CODE", None) if request is not None else None
    if language:
        user_language_set(user=user, language=language.split("-")[0])
