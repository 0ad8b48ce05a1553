"""The one django-tasks task: run a Job by its kind's handler (see registry.py)."""

from __future__ import annotations

try:  # Django 6 has the tasks framework built in; on 5.2 the django-tasks backport provides it.
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task


@task(takes_context=True)
def run_job(context, job_id: int):
    from . import runner

    result = context.task_result
    worker_id = result.worker_ids[-1] if result.worker_ids else ""
    return runner.execute(job_id, task_id=str(result.id), worker_id=worker_id)
