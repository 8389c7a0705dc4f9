"""The `broadsheet` command: Django's management commands with Broadsheet's settings.

`--data-dir DIR` is understood by every command (it sets BROADSHEET_DATA_DIR before
settings load), so `broadsheet createsuperuser --data-dir D` acts on the site that
`broadsheet serve --data-dir D` serves. On a database that is not set up yet, a command
says in one line to run `broadsheet migrate` (those that fill a site migrate first).
"""

import os
import sys


def extract_data_dir(argv: list[str]) -> list[str]:
    """Take `--data-dir DIR` / `--data-dir=DIR` out of argv and into the environment."""
    remaining: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--data-dir":
            value = next(args, None)
            if value is None:
                sys.exit("broadsheet: --data-dir needs a folder")
            os.environ["BROADSHEET_DATA_DIR"] = value
        elif arg.startswith("--data-dir="):
            os.environ["BROADSHEET_DATA_DIR"] = arg.split("=", 1)[1]
        else:
            remaining.append(arg)
    return remaining


def main(argv: list[str] | None = None) -> None:
    argv = extract_data_dir(list(sys.argv if argv is None else argv))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.conf.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    if len(argv) == 1:
        argv.append("help")
    try:
        execute_from_command_line(argv)
    except DatabaseError:
        # A new data folder, or a database older than this version: one line, not a traceback.
        from broadsheet.core import schema

        if argv[1] == "migrate" or not schema.unapplied_migrations():
            raise
        sys.exit(f"broadsheet: {schema.not_set_up_message()}")


if __name__ == "__main__":
    main()
