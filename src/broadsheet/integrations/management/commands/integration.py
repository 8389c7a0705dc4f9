"""`broadsheet integration create NAME [--role R] | list | revoke NAME_OR_ID`: API keys for
outside systems, from the command line (the operator; the studio has the same pages)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.accounts.models import Role
from broadsheet.integrations import selectors, services
from broadsheet.integrations.models import Integration


class Command(BaseCommand):
    help = "Create, list and revoke integrations: Ghost-compatible Content and Admin API keys."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="a new integration; prints its keys once")
        create.add_argument("name", help="what it is, e.g. Zapier")
        create.add_argument(
            "--role",
            default=Role.EDITOR,
            choices=[role for role in Role.values if role != Role.OWNER],
            help="what its Admin API key may do, as a staff role (default: editor)",
        )
        actions.add_parser("list", help="every integration, with key hints (never whole keys)")
        revoke = actions.add_parser("revoke", help="both keys stop working at once")
        revoke.add_argument("integration", metavar="NAME_OR_ID")

    def handle(self, *args, action: str, **options) -> None:
        if action == "create":
            self.create(options["name"], options["role"])
        elif action == "list":
            self.list()
        else:
            self.revoke(options["integration"])

    def create(self, name: str, role: str) -> None:
        try:
            integration, keys = services.create_integration(actor=None, name=name, role=role)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        urls = selectors.api_urls()
        self.stdout.write(
            self.style.SUCCESS(
                f"Added integration {integration.name} (id {integration.pk}), "
                f"acting as {integration.get_role_display().lower()}."
            )
        )
        self.stdout.write(
            "\n".join(
                [
                    f"API URL (for Ghost's clients): {urls['site']}",
                    f"Content API: {urls['content']}",
                    f"Content API key: {keys.content_key}",
                    f"Admin API: {urls['admin']}",
                    f"Admin API key: {keys.admin_key}",
                    "Keep the keys now: they are not shown again.",
                ]
            )
        )

    def list(self) -> None:
        rows = list(selectors.integrations())
        if not rows:
            self.stdout.write("No integrations.")
            return
        for integration in rows:
            state = (
                f"revoked {integration.revoked_at:%Y-%m-%d %H:%M}"
                if integration.revoked_at
                else "active"
            )
            self.stdout.write(
                f"{integration.pk}\t{integration.name}\t{integration.role}\t"
                f"created {integration.created_at:%Y-%m-%d %H:%M}\t{state}\t"
                f"content key …{integration.content_key_hint}\t"
                f"admin key {integration.admin_key_hint}"
            )

    def revoke(self, given: str) -> None:
        found = list(Integration.objects.filter(name__iexact=given.strip()))
        if not found and given.strip().isdigit():
            found = list(Integration.objects.filter(pk=int(given)))
        if not found:
            raise CommandError(f"No integration is called or numbered {given!r}.")
        if len(found) > 1:
            ids = ", ".join(str(i.pk) for i in found)
            raise CommandError(
                f"{len(found)} integrations are called {given!r}: give its id ({ids})."
            )
        integration = found[0]
        if integration.revoked_at is not None:
            self.stdout.write(f"{integration.name} was already revoked.")
            return
        services.revoke_integration(actor=None, integration=integration)
        self.stdout.write(
            self.style.SUCCESS(f"Revoked {integration.name}: its keys no longer work.")
        )
