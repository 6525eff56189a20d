"""The headless server's web console: HR's and the operator's pages on the central database.

Server-rendered with Starlette and Jinja2, plain HTML forms and one style sheet; served by
uvicorn in a thread of ``main.py headless`` (``console_listen``, localhost by default). Every
page reads and writes through the same core services as ``main.py central …``
(``console.services``); nothing here imports Qt or the kiosk window.
"""
