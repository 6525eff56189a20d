"""The machine the program runs on: paths, environment, logs, CPU, display, drives, files it
reads, the watchdog, and the start-up diagnostics (``doctor``)."""
