"""Sign-in backend: Django's model backend, reading the account of each request with its roles."""

from django.contrib.auth.backends import ModelBackend

from . import access


class RolesBackend(ModelBackend):
    """Passwords and permissions as Django's `ModelBackend`; the account of a signed-in request comes with its
    groups, department roles and employee record read in the same query (see `access.signed_in_user`)."""

    def get_user(self, user_id):
        user = access.signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
