"""Every periodic job of Trustdesk, declared here and nowhere else.

`python manage.py sync_schedule` installs these into django-celery-beat's tables, where the
admin shows them (Periodic tasks) and an operator can pause one or change its time. Syncing is
idempotent; it never overwrites a time an operator changed unless asked to (--reset).
"""

from dataclasses import dataclass, field

from config.queues import DEFAULT_QUEUE, IMPORTS_QUEUE, MAIL_QUEUE

# The prefix marks the periodic tasks this file owns, so a sync can tell ours from an operator's.
NAME_PREFIX = "trustdesk: "


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str
    description: str
    # crontab fields (minute, hour, day_of_week, day_of_month, month_of_year), in CELERY_TIMEZONE
    crontab: dict = field(default_factory=dict)
    kwargs: dict = field(default_factory=dict)
    queue: str = DEFAULT_QUEUE

    @property
    def full_name(self) -> str:
        return NAME_PREFIX + self.name


PERIODIC_JOBS = [
    PeriodicJob(
        name="daily duty sweep",
        task="trustee.tasks.daily_sweep",
        description="Materializes obligations to the horizon, marks what is due soon or "
        "overdue, then sends each officer's digest.",
        crontab={"minute": "30", "hour": "5"},
    ),
    PeriodicJob(
        name="workflow sweep",
        task="trustee.tasks.workflows_sweep",
        description="Opens List of Holders requests and annual reports that are due, marks "
        "late ones and escalates them, makes defaults Events of Default when their cure period "
        "ends, and lapses withholding not affirmed. Runs hourly: each run is idempotent and "
        "catches up whatever a stopped beat missed.",
        crontab={"minute": "45"},
    ),
    PeriodicJob(
        name="daily digest (safety net)",
        task="trustee.tasks.send_digests",
        description="Sends any officer's digest the sweep did not (at most one a day each).",
        crontab={"minute": "30", "hour": "7"},
        queue=MAIL_QUEUE,
    ),
    PeriodicJob(
        name="delivery sweep",
        task="notices.tasks.sweep_deliveries",
        description="Requeues e-mails stuck in sending and hands due retries to the mail tasks.",
        crontab={"minute": "*"},
        queue=MAIL_QUEUE,
    ),
    *[
        PeriodicJob(
            name=f"heartbeat ({queue} queue)",
            task="trustee.tasks.heartbeat",
            description=f"Proves that beat runs and that a worker consumes the {queue} queue.",
            crontab={"minute": "*"},
            kwargs={"queue": queue},
            queue=queue,
        )
        for queue in (DEFAULT_QUEUE, MAIL_QUEUE, IMPORTS_QUEUE)
    ],
]
