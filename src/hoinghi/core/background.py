"""Scheduling background work from a service: the task named by its dotted path, after commit.

A task loads ids and calls a service, so an app's `tasks` imports its `services`; a service
never imports its `tasks` back (not even inside a function): it names the task. The task is
looked up when the transaction commits, as the worker itself finds a task by its path, and a
transaction that rolls back enqueues nothing.
"""

from django.db import transaction
from django.tasks import Task
from django.utils.module_loading import import_string


def enqueue_on_commit(task_path: str, *args, **kwargs) -> None:
    """Enqueue `task_path` (e.g. "hoinghi.orgs.tasks.import_check") with these arguments once the
    current transaction commits (at once outside a transaction)."""

    def enqueue() -> None:
        task = import_string(task_path)
        if not isinstance(task, Task):
            raise TypeError(f"{task_path} is not a task")
        task.enqueue(*args, **kwargs)

    transaction.on_commit(enqueue)
