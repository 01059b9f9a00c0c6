"""Celery queues and the routing of tasks onto them.

Mail and imports get queues of their own so that a deployment can give each its own workers
(and machines): a slow 2 GB import must never hold up a default notice, and a mail outage must
never hold up the sweeps.
"""

from kombu import Exchange, Queue

DEFAULT_QUEUE = "default"
MAIL_QUEUE = "mail"
IMPORTS_QUEUE = "imports"

# Each queue has its own direct exchange and routing key, so that a message for one queue can
# never be bound to another's (with one shared key every queue would receive every message).
CELERY_QUEUES = tuple(
    Queue(name, Exchange(name, type="direct"), routing_key=name)
    for name in (DEFAULT_QUEUE, MAIL_QUEUE, IMPORTS_QUEUE)
)

CELERY_TASK_ROUTES = {
    "notices.tasks.*": {"queue": MAIL_QUEUE},
    "trustee.tasks.send_digests": {"queue": MAIL_QUEUE},
    "holders.tasks.import_*": {"queue": IMPORTS_QUEUE},
}
