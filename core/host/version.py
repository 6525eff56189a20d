"""The program's version, as a kiosk reports it to the central database with each sync.

A constant rather than the installed distribution's metadata: a kiosk runs from a bundle or
a checkout, where no metadata is installed. tests/release keeps it equal to pyproject's.
"""

PROGRAM_VERSION = "0.1.0"
