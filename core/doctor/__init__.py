"""``main.py doctor``: start-up diagnostics, one line per check with its fix. ``report`` runs
them; each area adds its own (``cpu``, ``recognition``, ``central``)."""
