"""Sync with the central PostgreSQL database: push, pull, the inbox and the scheduler.

What the kiosk runtime and the headless server use:

- :class:`core.sync.engine.SyncEngine` — one push/pull cycle at a time (``run_once``), its
  status (``status()`` gives the kiosk's ``SyncStatus``) and ``on_cycle`` observers (a
  pull's changes reach recognition through the store: core/runtime/worker.py's
  ``FollowedGallery``);
- :class:`core.sync.scheduler.SyncScheduler` — runs the engine in the background every
  ``sync_interval_seconds``, one cycle at a time, backing off while the server is away;
- :class:`core.sync.central.CentralDatabase` — the connection to the central database.

Nothing here imports Qt or the recognition models.
"""
