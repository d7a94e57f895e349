"""Signing in with an e-mail address or a user name."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User

# The backend a view names when it signs someone in itself (registration, a jury invitation).
SIGN_IN_BACKEND = "accounts.backends.EmailOrUserNameBackend"


class EmailOrUserNameBackend(ModelBackend):
    """Django's model backend, finding the account by its user name or by its e-mail address
    (unique whatever the case: accounts.User's constraint). An invited juror is told their
    address, not a user name they never chose.

    The account whose user name is what was typed comes first; when another account has it
    as its e-mail address, its password is tried next, so nobody can take over the sign-in
    of someone's address by choosing it as a user name. When no account matches, the
    password is still hashed once, as Django does, so the answer takes as long either way.
    django-axes sees the credentials as they were typed: failures count per name typed."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        candidates = sorted(
            User._default_manager.filter(Q(username=username) | Q(email__iexact=username)),
            key=lambda user: user.username != username)
        if not candidates:
            User().set_password(password)  # the same work as for a wrong password
            return None
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None
