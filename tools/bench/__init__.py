"""Benchmarks: the performance suite (``main.py bench``, ``suite.py``), the load run with
simulated kiosks (``make load``) and the soak of the real window (``make soak``)."""
