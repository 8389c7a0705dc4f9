"""Background imports from the studio, run by `broadsheet worker`."""

from django.tasks import task

from broadsheet.importers import jobs


@task
def run_import_job(job_id: int) -> str:
    """Queued by the studio's import form (`jobs.start_job`, on commit): the whole import,
    however long it takes, with its end recorded on the job."""
    return jobs.run_job(job_id)
