"""`broadsheet adduser EMAIL --role ROLE`: a staff account from the command line.

How the first owner of a new site arrives (and a way back in when the studio cannot be
reached); everyone after that can be invited from the staff page.
"""

import getpass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db.models import Q

from broadsheet.accounts import services
from broadsheet.accounts.models import Role, User


class Command(BaseCommand):
    help = "Add a staff member (the email is their login). Prompts for the password if not given."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="their email address, which is also their login")
        parser.add_argument("--role", required=True, help=f"one of: {', '.join(Role.values)}")
        parser.add_argument("--password", help="their password (otherwise you are asked twice)")
        parser.add_argument(
            "--name", default="", help="the name readers see (default: from the email)"
        )

    def handle(
        self, *args, email: str, role: str, password: str | None, name: str, **options
    ) -> None:
        email = User.objects.normalize_email(email).strip()
        role = role.strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}. Choose one of: {', '.join(Role.values)}.")
        if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            raise CommandError(f"There is already an account for {email}.")
        try:
            services.check_owner_free(role)  # before asking for a password in vain
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if password is None:
            password = self.ask_password()
        candidate = User(username=email, email=email, display_name=name)
        try:
            password_validation.validate_password(password, user=candidate)
        except ValidationError as error:
            raise CommandError("That password will not do: " + " ".join(error.messages)) from error
        try:
            user = services.create_staff_user(
                email=email, role=role, password=password, display_name=name
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Added {user.email} as {user.get_role_display().lower()}.")
        )

    def ask_password(self) -> str:
        """Twice, without echo, so a typo does not lock the new account out."""
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as error:
            raise CommandError("No password given.") from error
        if not first:
            raise CommandError("The password cannot be empty.")
        if first != second:
            raise CommandError("The two passwords did not match; nothing was added.")
        return first
