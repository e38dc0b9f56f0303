"""Ingest as tasks on a durable queue (Celery, Redis broker and result backend), for more than one machine.

``BK_QUEUE__URL`` set: ``banding-kota ingest --queue PATH…`` and API uploads enqueue one task per file
(:func:`ingest.queue.client.enqueue`); ``banding-kota worker`` runs a worker that parses (in the same isolated
parse processes, with the same limits, as the CLI), embeds and stores each file through the Library. Empty, the
CLI and the API ingest in process as before.

The promises, and where each is kept:
- a worker killed mid-task loses nothing: tasks are acknowledged late, so Redis hands an unacknowledged task out
  again after ``visibility_timeout_s`` (``app.py``);
- a document ends whole, once: the store is keyed by content hash (``ingest.pipeline.doc_id_for``), one worker
  at a time holds a document's lock, and the redelivered task first rolls back what the killed one left
  (``tasks.py``, ``locks.py``);
- a file that cannot be ingested fails alone, into the dead-letter list with the CLI's message
  (``deadletters.py``); a failure outside the file (store or broker away) is retried with backoff first.
"""
