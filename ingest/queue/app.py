"""The Celery application of the ingest queue, configured from the settings' ``queue`` section."""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.backends.redis import RedisBackend

from core.settings import Settings

TASK_NAME = "banding_kota.ingest_file"
QUEUE_NAME = "banding-kota-ingest"


_apps: dict[str, Celery] = {}


class PolledRedisBackend(RedisBackend):
    """Redis results, read by polling a task's state. Nothing here waits on a result, so a client does not
    subscribe to each task's channel as Celery's Redis backend does on every send: that subscription, cut by a
    restart of Redis, ends with the client's result consumer giving up for good."""

    def on_task_call(self, producer: Any, task_id: str) -> None:
        return None


def queue_app(settings: Settings) -> Celery:
    """A Celery app on ``settings.queue.url`` (broker and result backend alike), with the ingest task; one per
    queue configuration and process, so that its connection pools are shared."""
    key = settings.queue.model_dump_json()
    if key not in _apps:
        _apps[key] = _make_app(settings)
    return _apps[key]


def _make_app(settings: Settings) -> Celery:
    queue = settings.queue
    backend = f"{__name__}:{PolledRedisBackend.__name__}+{queue.url}"
    app = Celery("banding_kota", broker=queue.url, backend=backend, set_as_current=False)
    app.conf.update(
        # Acknowledged when the task ends, not when it starts: a worker killed mid-task leaves its task
        # unacknowledged, and it is delivered again.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # One task reserved per worker process: a killed worker holds no others hostage until the visibility
        # timeout, and a long plan does not keep short files waiting behind it.
        worker_prefetch_multiplier=1,
        task_track_started=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=queue.result_expires_s,
        task_default_queue=QUEUE_NAME,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": queue.visibility_timeout_s,
            "unacked_restore_interval": queue.restore_interval_s,
            # Every sweep looks (kombu's default looks on one in ten), so restore_interval_s is the only knob.
            "unacked_restore_throttle": 1,
        },
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
    )
    from ingest.queue.tasks import ingest_file

    app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)(ingest_file)
    return app
