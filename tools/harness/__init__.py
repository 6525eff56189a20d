"""The test harness: a scripted runtime, scenes and videos, the kiosk driven in its own
process, and the screenshots built on them (used by tests/ and ``make screenshots``)."""
