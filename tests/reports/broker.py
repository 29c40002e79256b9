"""Point the Celery app at a given broker for one test, then put it back exactly as it was."""

from contextlib import contextmanager

from kombu import pools

from cls_portal.celery import app


def _reset_pools():
    # Eager apply_async still acquires a producer from kombu's global pools: close them and forget them
    # (a closed pool left in the registry would be handed out again to later tests).
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def using_broker(url: str, **conf):
    # broker_write_url/read_url too: with CELERY_BROKER_URL set (CI), the namespaced setting wins over
    # a plain `broker_url` update, and connections are made from the write/read URLs.
    saved = {"broker_url": app.conf.broker_url, "broker_write_url": app.conf.broker_write_url,
             "broker_read_url": app.conf.broker_read_url, "task_always_eager": app.conf.task_always_eager,
             **{k: app.conf.get(k) for k in conf}}
    _reset_pools()
    app.conf.update(broker_url=url, broker_write_url=url, broker_read_url=url, task_always_eager=False, **conf)
    try:
        yield app
    finally:
        _reset_pools()
        app.conf.update(saved)
