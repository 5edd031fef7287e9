"""Scheduling background work from a service: the task named by its dotted path, after commit.

A task loads ids and calls a service, so an app's `tasks` imports its `services`; a service
never imports its `tasks` back (not even inside a function): it names the task. The task is
looked up when the transaction commits, as the worker itself finds a task by its path, and a
transaction that rolls back enqueues nothing.
"""

from datetime import datetime

from django.db import transaction
from django.tasks import Task
from django.utils.module_loading import import_string


def enqueue_on_commit(task_path: str, *args, run_after: datetime | None = None, **kwargs) -> None:
    """Enqueue `task_path` (e.g. "hoinghi.orgs.tasks.import_check") with these arguments once the
    current transaction commits (at once outside a transaction).

    With `run_after`, the worker runs it no earlier than then — where the backend can wait (the
    database's can; the tests' immediate one cannot, and runs it now): so a deferred task checks
    the time itself and does nothing when it runs early."""

    def enqueue() -> None:
        task = import_string(task_path)
        if not isinstance(task, Task):
            raise TypeError(f"{task_path} is not a task")
        if run_after is not None and task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(*args, **kwargs)

    transaction.on_commit(enqueue)
