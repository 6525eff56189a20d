"""The headless server: /health and /metrics, the scheduler with sync, the daily close and
the retention purge, and recognition from a camera when one is given.

``main.py headless`` builds the parts and starts them in order (``start_headless``);
nothing here imports Qt or the recognition models.
"""
