"""Index updates as background tasks (django-tasks; immediate in the demo).

A task never fails on an engine that is down: `indexing.apply` records the
update for replay, so editors are never blocked and nothing is lost.
"""

from django_tasks import task

from . import indexing


@task()
def update_index(kind: str, keys: list):
    indexing.apply(kind, keys)
