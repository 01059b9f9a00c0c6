"""Celery queues and the routing of tasks onto them.

Mail and imports get queues of their own so that a deployment can give each its own workers
(and machines): a slow 2 GB import must never hold up a default notice, and a mail outage must
never hold up the sweeps.
"""

from kombu import Queue

DEFAULT_QUEUE = "default"
MAIL_QUEUE = "mail"
IMPORTS_QUEUE = "imports"

CELERY_QUEUES = (Queue(DEFAULT_QUEUE), Queue(MAIL_QUEUE), Queue(IMPORTS_QUEUE))

CELERY_TASK_ROUTES = {
    "notices.tasks.*": {"queue": MAIL_QUEUE},
    "holders.tasks.import_*": {"queue": IMPORTS_QUEUE},
}
