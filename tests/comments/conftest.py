"""What the comment tests share: running the background worker's queued notices."""

import pytest
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker


@pytest.fixture
def run_tasks(monkeypatch):
    # The worker closes idle connections between tasks; here that one holds the test's data.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("worker", batch=True, verbosity=0)
