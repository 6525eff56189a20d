"""The kiosk as ``main.py`` runs it, photographed from the X server
(tools/harness/live_screenshots.py).

``python -m tools.harness.live_child OUT -- MAIN_ARGS...`` runs ``main.main(MAIN_ARGS)`` with a
100 ms timer that, step by step:

1. waits for the camera's first frames and a ready model, grabs the screen (``idle``) and
   prints ``F2``: the parent presses F2 before anything was tapped, the sign-in must open
   (``f2_sign_in``, ``SIGNIN``: with no window manager, the window took the keyboard
   focus itself), and the driver goes back to the kiosk;
2. waits for the walk-up person's result card, grabs it (``recognised``); with
   ``punch_mode = ask`` (the person was checked in before) the question comes first: it
   grabs it (``choose``) and prints ``CHOOSE {json}``, the centre of each enabled choice;
   the parent taps "Break start", and the card that follows is ``recognised``, printed as
   ``CHOSEN <the card's record line>``;
3. once the card has gone, prints ``TAP x y`` for the "Use code and PIN" button: the
   parent taps it with xdotool, a real pointer event through the X server;
4. with the pad open, grabs it (``pin_pad``) and prints ``KEYS {json}``: the screen centre
   of the code and PIN boxes and of every key; the parent taps the code, then the PIN, then
   "Record";
5. grabs the card of the PIN record (``pin_recorded``) and prints ``DONE``;
6. with a window manager (``ASISTENCIA_LIVE_WM=1``) prints ``CLOSE``: the parent presses
   Alt+F4, the window manager asks the window to close, and the kiosk must refuse and show
   the sign-in (``close_refused``, ``REFUSED``). Then it closes itself.

The pictures are the X screen's own pixels (``QScreen.grabWindow(0)``), not a render of
the widgets. Each line it prints is flushed at once; the parent reads them.
"""

from __future__ import annotations

from core.host.env import prepare_environment

prepare_environment()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


class Driver:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.step = "idle"
        self.pin_card_seen = False
        self.asked = False  # the walk-up person was asked which record (punch_mode = ask)

    def window(self) -> Any:
        from tools.harness.driven_kiosk import kiosk_window

        return kiosk_window()

    def grab(self, name: str) -> None:
        from PySide6.QtGui import QGuiApplication

        screen = QGuiApplication.primaryScreen()
        screen.grabWindow(0).save(str(self.out / f"{name}.png"))
        print(f"SHOT {name}", flush=True)

    def tick(self) -> None:
        window = self.window()
        if window is not None and window.isVisible():
            getattr(self, f"_{self.step}")(window)

    def _idle(self, window: Any) -> None:
        from core.runtime.api import ModelState

        screen = window.kiosk
        model = screen.model
        if screen.camera.frames_shown < 30 or model is None or model.state is not ModelState.READY:
            return
        self.grab("idle")
        # Before any tap (a tap would activate the window): F2 must reach the kiosk.
        print("F2", flush=True)
        self.step = "signin"

    def _signin(self, window: Any) -> None:
        if window.stack.currentWidget() is window.login and window.login.isVisible():
            self.grab("f2_sign_in")
            print("SIGNIN", flush=True)
            window.show_kiosk()
            self.step = "recognised"

    def _recognised(self, window: Any) -> None:
        chooser = window.kiosk.chooser
        if chooser.isVisible() and not self.asked:
            self.grab("choose")
            choices = {
                kind.value: self.centre(button)
                for kind, button in chooser.buttons.items()
                if button.isEnabled()
            }
            print("CHOOSE", json.dumps(choices), flush=True)
            self.asked = True
            return
        card = window.kiosk.card
        if card.isVisible() and card.name.text() and not chooser.isVisible():
            self.grab("recognised")
            if self.asked:
                print("CHOSEN", card.kind.text(), flush=True)
            self.step = "offer"

    def _offer(self, window: Any) -> None:
        screen = window.kiosk
        if screen.card.isVisible() or not screen.pin_button.isVisible():
            return
        print("TAP", *self.centre(screen.pin_button), flush=True)
        self.step = "pad"

    def _pad(self, window: Any) -> None:
        pad = window.kiosk.pin_pad
        if not pad.isVisible():
            return
        from PySide6.QtWidgets import QPushButton

        self.grab("pin_pad")
        keys = {"code": self.centre(pad.code), "pin": self.centre(pad.pin)}
        for page in range(pad.keys.count()):
            pad.keys.setCurrentIndex(page)  # lay both pages out to know where keys are
            for key in pad.keys.currentWidget().findChildren(QPushButton):
                keys.setdefault(f"{page}:{key.text()}", self.centre(key))
        pad.keys.setCurrentIndex(0)
        keys["ok"] = self.centre(pad.ok_key)
        print("KEYS", json.dumps(keys), flush=True)
        self.step = "typed"

    def _typed(self, window: Any) -> None:
        screen = window.kiosk
        pad = screen.pin_pad
        if pad.isVisible():
            return
        card = screen.card
        if card.isVisible() and card.message.isVisible():
            self.grab("pin_recorded")
            print("DONE", card.name.text(), "|", card.message.text(), flush=True)
            if os.environ.get("ASISTENCIA_LIVE_WM") == "1":
                print("CLOSE", flush=True)
                self.step = "refused"
            else:
                self.finish(window)

    def _refused(self, window: Any) -> None:
        if window.stack.currentWidget() is window.login and window.login.isVisible():
            self.grab("close_refused")
            print("REFUSED", flush=True)
            self.finish(window)

    def finish(self, window: Any) -> None:
        self.step = "done"
        window.close()  # from the program: the window system's close would be refused

    def _done(self, window: Any) -> None:
        pass

    @staticmethod
    def centre(widget: Any) -> tuple[int, int]:
        point = widget.mapToGlobal(widget.rect().center())
        return point.x(), point.y()


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    kiosk_args = argv[argv.index("--") + 1 :]
    from tools.harness.driven_kiosk import run_driven

    return run_driven(Driver(out).tick, kiosk_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
