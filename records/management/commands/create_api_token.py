"""Make an API token for an integration and print its key, the only time it is ever visible."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from records.models import ApiToken


def parse_scope(text: str) -> tuple[str, str]:
    app, sep, level = text.partition("=")
    if not sep or not app or not level:
        raise CommandError(f"Write each scope as app=read or app=write, not “{text}”.")
    return app.strip(), level.strip()


class Command(BaseCommand):
    help = "Create an API token acting as USERNAME within the given scopes, and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username the token acts as (its roles scope the data).")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. “EHR bed feed”.")
        parser.add_argument(
            "--scope",
            action="append",
            required=True,
            metavar="APP=LEVEL",
            help=f"Repeat for each app: one of {', '.join(ApiToken.APPS)} = read or write.",
        )
        parser.add_argument("--expires-in-days", type=int, default=None, help="Expire the token after this many days.")

    @transaction.atomic
    def handle(self, *args, user, name, scope, expires_in_days, **options):
        try:
            owner = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named “{user}”.") from None
        token = ApiToken(name=name, user=owner, scopes=dict(parse_scope(item) for item in scope))
        if expires_in_days is not None:
            if expires_in_days < 1:
                raise CommandError("--expires-in-days must be at least 1.")
            token.expires_at = timezone.now() + timedelta(days=expires_in_days)
        key = token.generate_key()
        try:
            token.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        token._change_reason = "created with create_api_token"
        token.save()
        self.stderr.write(f"Token “{token.name}” ({token.prefix}…) acts as {owner.username}. "
                          "Copy this key now, it will not be shown again:")
        self.stdout.write(key)
