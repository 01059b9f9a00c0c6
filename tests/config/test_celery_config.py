from config.celery import app
from config.queues import IMPORTS_QUEUE, MAIL_QUEUE


def test_celery_is_configured_for_at_least_once_delivery_of_json():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.timezone == "America/New_York"


def test_mail_and_imports_have_queues_of_their_own():
    router = app.amqp.router
    assert {q.name for q in app.conf.task_queues} == {"default", "mail", "imports"}
    assert router.route({}, "notices.tasks.send_delivery")["queue"].name == MAIL_QUEUE
    assert router.route({}, "holders.tasks.import_list")["queue"].name == IMPORTS_QUEUE
    assert router.route({}, "trustee.tasks.heartbeat")["queue"].name == "default"
