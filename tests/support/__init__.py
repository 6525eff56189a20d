"""What the tests share and are not tests themselves: paths, the fixed keys, ``main.py`` as
a process, a real PostgreSQL, the window's fakes and sign-in, and the child processes some
tests start (``python -m tests.support.NAME``). The fixtures are in ``tests/conftest.py``."""
