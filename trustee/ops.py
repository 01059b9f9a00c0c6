"""Operational services: the heartbeat and the installation of the periodic schedule."""

import json

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from config.schedule import NAME_PREFIX, PERIODIC_JOBS
from trustee.models import Heartbeat


def record_heartbeat(*, queue, worker):
    """Upsert in one statement each, so concurrent workers never lose a beat or collide."""
    now = timezone.now()
    updated = Heartbeat.objects.filter(queue=queue).update(
        worker=worker, beat_at=now, count=F("count") + 1
    )
    if not updated:
        Heartbeat.objects.get_or_create(
            queue=queue, defaults={"worker": worker, "beat_at": now, "count": 1}
        )


@transaction.atomic
def sync_schedule(*, reset=False, jobs=PERIODIC_JOBS):
    """Install the declared periodic jobs; return what changed as (name, action) pairs.

    Keeps an operator's edits to a job's time and its enabled flag unless `reset`; disables
    (never deletes, so the history stays readable) jobs of ours no longer declared.
    """
    from django.conf import settings

    changes = []
    declared = set()
    for job in jobs:
        declared.add(job.full_name)
        crontab, _ = CrontabSchedule.objects.get_or_create(
            timezone=settings.CELERY_TIMEZONE,
            **{
                "minute": "*",
                "hour": "*",
                "day_of_week": "*",
                "day_of_month": "*",
                "month_of_year": "*",
                **job.crontab,
            },
        )
        wanted = {
            "task": job.task,
            "kwargs": json.dumps(job.kwargs, sort_keys=True),
            "queue": job.queue,
            "description": job.description,
        }
        task = PeriodicTask.objects.select_for_update().filter(name=job.full_name).first()
        if task is None:
            PeriodicTask.objects.create(name=job.full_name, crontab=crontab, **wanted)
            changes.append((job.full_name, "created"))
            continue
        dirty = [key for key, value in wanted.items() if getattr(task, key) != value]
        for key in dirty:
            setattr(task, key, wanted[key])
        if reset and (task.crontab_id != crontab.pk or task.interval_id or not task.enabled):
            task.crontab, task.interval, task.enabled = crontab, None, True
            dirty.append("schedule")
        if dirty:
            task.save()
            changes.append((job.full_name, "updated " + ", ".join(dirty)))
    stale = PeriodicTask.objects.filter(name__startswith=NAME_PREFIX, enabled=True).exclude(
        name__in=declared
    )
    for task in stale:
        task.enabled = False
        task.save()
        changes.append((task.name, "disabled: no longer declared"))
    return changes
