"""Which record is this? The kiosk screen's open question and the runtime's answer to it.

Two ways in (kiosk/punch_chooser.py shows both): ``punch_mode = ask`` asks before anything
is recorded, and ``punch_mode = shift``'s "Not right? Change" on the result card offers to
change a record just made. The tapped kind goes to the runtime; its answer comes back
through the window's task runner (``answered``), or the card says why nothing changed.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from core.attendance.outcomes import PunchChoice, Recorded
from core.attendance.rules import Kind
from core.runtime.api import KioskRuntime
from kiosk.messages import describe_error
from kiosk.punch_chooser import PunchChooser
from kiosk.result_card import ResultCard
from kiosk.sounds import Sounds, Tone
from kiosk.workers import TaskRunner

log = logging.getLogger(__name__)


class PunchQuestion(QObject):
    """One answer or question at a time, in the card's place (``chooser``)."""

    answered = Signal(object)  # the runtime's Recorded for the kind tapped
    settled = Signal()  # the question was kept, or its failure shown: redraw the prompt

    def __init__(
        self,
        runtime: KioskRuntime,
        tasks: TaskRunner,
        card: ResultCard,
        sounds: Sounds,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self.tasks = tasks
        self.card = card
        self.sounds = sounds
        self.chooser = PunchChooser()
        self.question: PunchChoice | Recorded | None = None  # what the chooser answers
        self.chooser.chosen.connect(self._chosen)
        self.chooser.kept.connect(self.settled)

    def ask(self, choice: PunchChoice, photo_jpeg: bytes | None) -> None:
        previous, likely = self.question, self.chooser.likely
        if (
            self.chooser.isVisible()
            and isinstance(previous, PunchChoice)
            and likely is not None
            and previous.employee_code != choice.employee_code
        ):
            # Someone else is asked now: the person before walked away without tapping,
            # and the likely kind is what their countdown would have taken.
            self._take_quietly(previous, likely)
        self.question = choice
        self.chooser.ask(choice.employee_name, choice.allowed, photo_jpeg)

    def offer_change(self, recorded: Recorded) -> None:
        self.question = recorded
        self.chooser.offer_change(
            recorded.employee_name, recorded.kind, recorded.alternatives, self.card.photo_jpeg
        )

    def _take_quietly(self, choice: PunchChoice, kind: Kind) -> None:
        """Record a question's likely answer with no card: the screen is someone else's."""
        try:
            future = self.runtime.choose_punch(choice.token, kind)
        except Exception as exc:  # the runtime refused before starting (stopping, say)
            log.warning("not recorded for %s: %s", choice.employee_code, exc)
            return
        self.tasks.watch(
            future,
            lambda _recorded: None,
            lambda exc: log.warning("not recorded for %s: %s", choice.employee_code, exc),
            owner=self,
        )

    def _chosen(self, kind: Kind) -> None:
        question = self.question
        if question is None:
            return
        try:
            if isinstance(question, PunchChoice):
                future = self.runtime.choose_punch(question.token, kind)
            else:
                future = self.runtime.change_punch(question.event_id, kind)
        except Exception as exc:  # the runtime refused before starting (stopping, say)
            self._choice_failed(exc)
            return
        self.tasks.watch(future, self.answered.emit, self._choice_failed, owner=self)

    def _choice_failed(self, exc: BaseException) -> None:
        name = self.question.employee_name if self.question is not None else ""
        self.card.show_problem(name, describe_error(exc).text)
        self.sounds.play(Tone.REFUSED)
        self.settled.emit()
