"""`doorbraak api_token issue|revoke|list`: API tokens for partner systems."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from doorbraak.api.actions import issue_token, revoke_token
from doorbraak.api.models import ApiToken


class Command(BaseCommand):
    help = (
        "API tokens for partner systems. `issue` makes one for a service account, bound to its "
        "organisation and a covenant, and prints the token once (only its hash is kept); "
        "`revoke` ends one at once; `list` shows them."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue a token")
        issue.add_argument("--user", required=True, help="the service account's user name")
        issue.add_argument("--covenant", required=True, type=int, help="the covenant's id")
        issue.add_argument("--name", required=True, help="which system uses it")
        issue.add_argument("--days", type=int, default=90, help="valid so many days (90)")
        issue.add_argument("--by", required=True, help="who issues it (for the audit log)")
        revoke = sub.add_parser("revoke", help="revoke a token")
        revoke.add_argument("token", help="the token's id or the first characters it starts with")
        revoke.add_argument("--by", required=True, help="who revokes it (for the audit log)")
        sub.add_parser("list", help="list the tokens")

    def handle(self, *args, **options):
        from doorbraak.partners.models import Covenant, User

        action = options["action"]
        if action == "issue":
            try:
                user = User.objects.select_related("organisation").get(username=options["user"])
                covenant = Covenant.objects.get(pk=options["covenant"])
            except (User.DoesNotExist, Covenant.DoesNotExist) as exc:
                raise CommandError(str(exc)) from exc
            try:
                token, raw = issue_token(
                    user=user,
                    covenant=covenant,
                    name=options["name"],
                    days=options["days"],
                    issued_by=options["by"],
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(
                f"API token {token.pk} for {user.username} ({token.organisation.code}), covenant "
                f"{covenant.pk}, valid until {token.expires_at:%Y-%m-%d}. Shown once, keep it safe:"
            )
            self.stdout.write(raw)
        elif action == "revoke":
            ref = options["token"]
            qs = ApiToken.objects.filter(pk=int(ref)) if ref.isdigit() else ApiToken.objects.none()
            if not qs.exists() and len(ref) >= 8:
                qs = ApiToken.objects.filter(prefix__startswith=ref[:12])
            if qs.count() != 1:
                raise CommandError(f"no single token matches {ref!r}")
            token = revoke_token(qs.get(), revoked_by=options["by"])
            self.stdout.write(f"API token {token.pk} ({token.name}) revoked.")
        else:
            now = timezone.now()
            for token in ApiToken.objects.select_related("user", "organisation"):
                state = token.refusal(now) or "active"
                self.stdout.write(
                    f"{token.pk}\t{token.prefix}…\t{token.name}\t{token.user.username}\t"
                    f"{token.organisation.code}\tcovenant {token.covenant_id}\t"
                    f"until {token.expires_at:%Y-%m-%d}\t{state}"
                )
