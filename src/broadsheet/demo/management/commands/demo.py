import os

from django.conf import settings
from django.core.management.base import BaseCommand

from broadsheet.core import schema
from broadsheet.core.db import keep_statistics_fresh
from broadsheet.demo.loader import load_demo, site_is_empty


class Command(BaseCommand):
    help = "Fill an empty site with demo content and print a login for each role."

    def handle(self, *args, **options) -> None:
        # Kept in the data folder (readable by its owner only) so a restart can say it again.
        login_file = settings.DATA_DIR / "demo-login.txt"
        schema.migrate()  # the demo is how a new data folder gets a site
        if site_is_empty():
            logins = load_demo()
            keep_statistics_fresh(bulk_load=True)
            fd = os.open(login_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                for login in logins:
                    handle.write(f"{login.role:<12} {login.email:<22} password: {login.password}\n")
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        elif not login_file.exists():
            self.stdout.write("The site already has posts; the demo was not loaded.")
            return
        self.stdout.write("Logins for the studio, at /studio/ (email and password):")
        for line in login_file.read_text().splitlines():
            self.stdout.write(f"  {line}")
