from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .. import access
from ..models import ApiToken


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` (or `Bearer <key>`): the token acts as its user, within its scopes."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as `Authorization: Token <key>`.")
        token = ApiToken.objects.filter(key_hash=ApiToken.hash_key(header[1])).first()
        # the account with its roles in one query, as a signed-in page reads it
        user = access.signed_in_user(token.user_id) if token is not None else None
        if token is None or not token.is_usable or user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("This token is unknown, expired or revoked.")
        token.user = user
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "`Token <key>`"}
