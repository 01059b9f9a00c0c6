import json

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from config.schedule import NAME_PREFIX, PERIODIC_JOBS, PeriodicJob
from trustee.ops import sync_schedule

pytestmark = pytest.mark.django_db


def test_sync_installs_every_declared_job_once():
    first = sync_schedule()
    second = sync_schedule()
    assert sorted(name for name, _ in first) == sorted(job.full_name for job in PERIODIC_JOBS)
    assert second == []
    for job in PERIODIC_JOBS:
        task = PeriodicTask.objects.get(name=job.full_name)
        assert task.task == job.task
        assert task.queue == job.queue
        assert json.loads(task.kwargs) == job.kwargs
        assert task.enabled


def test_sync_keeps_an_operators_change_of_time_unless_reset():
    sync_schedule()
    job = PERIODIC_JOBS[0]
    hourly, _ = CrontabSchedule.objects.get_or_create(minute="0", hour="*")
    PeriodicTask.objects.filter(name=job.full_name).update(crontab=hourly, enabled=False)

    assert sync_schedule() == []
    task = PeriodicTask.objects.get(name=job.full_name)
    assert (task.crontab_id, task.enabled) == (hourly.pk, False)

    changes = dict(sync_schedule(reset=True))
    task.refresh_from_db()
    assert "schedule" in changes[job.full_name]
    assert task.enabled
    assert task.crontab.minute == job.crontab.get("minute", "*")
    assert task.crontab.hour == job.crontab.get("hour", "*")


def test_sync_disables_jobs_no_longer_declared_and_leaves_others_alone():
    sync_schedule()
    crontab = CrontabSchedule.objects.first()
    PeriodicTask.objects.create(name="operator's own job", task="x.y", crontab=crontab)
    kept = PERIODIC_JOBS[:1]
    changes = dict(sync_schedule(jobs=kept))
    dropped = PERIODIC_JOBS[1].full_name
    assert changes[dropped] == "disabled: no longer declared"
    assert not PeriodicTask.objects.get(name=dropped).enabled
    assert PeriodicTask.objects.get(name="operator's own job").enabled
    assert PeriodicTask.objects.get(name=kept[0].full_name).enabled


def test_sync_updates_a_changed_declaration():
    sync_schedule()
    job = PERIODIC_JOBS[0]
    moved = PeriodicJob(
        name=job.name,
        task=job.task,
        description="moved",
        crontab=job.crontab,
        kwargs=job.kwargs,
        queue="imports",
    )
    changes = dict(sync_schedule(jobs=[moved, *PERIODIC_JOBS[1:]]))
    assert changes[job.full_name] == "updated queue, description"
    assert PeriodicTask.objects.get(name=job.full_name).queue == "imports"


def test_command_reports_what_it_did(capsys):
    call_command("sync_schedule")
    assert NAME_PREFIX in capsys.readouterr().out
    call_command("sync_schedule")
    assert "already up to date" in capsys.readouterr().out


def test_the_schedule_is_visible_in_the_admin(admin_client):
    sync_schedule()
    response = admin_client.get("/admin/django_celery_beat/periodictask/")
    assert response.status_code == 200
    assert PERIODIC_JOBS[0].full_name in response.content.decode()
