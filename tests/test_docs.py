"""The architecture page names every route and every background task, so a newcomer finds
each one there; a route or task added without a line in the docs fails here."""

import re
from pathlib import Path

from tests.test_fuzz import SRC, project_routes

ARCHITECTURE = (Path(__file__).resolve().parent.parent / "docs" / "ARCHITECTURE.md").read_text()


def test_every_route_is_in_the_architecture_page():
    documented = set(re.findall(r"`([^`\n]*)`", ARCHITECTURE))
    # The home page's route is the empty string, which Markdown cannot put in backticks.
    routes = [route.pattern or "/" for route in project_routes()]
    missing = [route for route in routes if route not in documented]
    assert "admin/" in documented  # Django's admin: one line for all of it
    assert not missing, f"add these routes to docs/ARCHITECTURE.md: {missing}"


def test_every_task_is_in_the_architecture_page():
    tasks = []
    for source in SRC.rglob("tasks.py"):
        module = ".".join(source.relative_to(SRC).with_suffix("").parts)
        names = re.findall(r"^@task[^\n]*\ndef (\w+)", source.read_text(), flags=re.M)
        tasks += [f"{module}.{name}" for name in names]
    assert tasks
    missing = [task for task in tasks if f"`{task}`" not in ARCHITECTURE]
    assert not missing, f"add these tasks to docs/ARCHITECTURE.md: {missing}"
