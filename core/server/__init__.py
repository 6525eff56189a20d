"""The headless server: scheduler, /health and /metrics, the daily close, the retention purge.

``main.py headless`` builds a :class:`core.server.headless.HeadlessServer`; nothing here
imports Qt, and the recognition models load only when a camera is configured (through the
hook the runtime provides).
"""
