"""Errors and refusals from core, as sentences in the window's language: one place.

Core raises ``AsistenciaError`` subclasses that carry a catalogue key and its values
(core/i18n). The keys a kiosk user or administrator meets have the window's own sentences
here, each saying what to do next (a table from key to Qt-translated template); any other
key is said from core's catalogue in the window's language under a translated headline,
and an error without a key (not core's) is shown as it came, so no error is ever hidden.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtCore import QCoreApplication

from core.attendance.outcomes import NotRecorded, NotSaved
from core.attendance.rules import Kind
from core.config import SettingsError
from core.errors import AsistenciaError
from core.i18n import Message, text_in
from core.i18n.catalogue import knows
from core.runtime.api import Refusal, WriteProblem
from core.secrets.passwords import describe_wait
from core.sync.status import SyncStatus
from kiosk.i18n import window_language
from kiosk.kinds import kind_text

log = logging.getLogger(__name__)
translate = QCoreApplication.translate
Values = Mapping[str, object]


@dataclass(frozen=True)
class UserMessage:
    text: str  # translated, says what to do
    details: str = ""  # the original message when it had no translation


def _templates() -> dict[str, str]:
    """The window's own sentence for each key a kiosk user or administrator meets; its
    ``{placeholders}`` are the key's values. Built on each call so the texts follow the
    language installed at that moment."""
    cannot_be_written = translate(
        "Messages", "Could not save — the kiosk's disk cannot be written. Call an administrator."
    )
    return {
        "user.sign_in_refused": translate(
            "Messages",
            "Wrong user name or password, or the account is locked after too many failed "
            "attempts. Check both and try again later, or ask another administrator to "
            "unlock it.",
        ),
        "pin.wrong_now_locked": translate(
            "Messages",
            "Wrong PIN. The PIN of {code} is now locked for {wait}; an administrator "
            "can record your attendance meanwhile.",
        ),
        "pin.locked": translate(
            "Messages",
            "The PIN of {code} is locked after too many wrong attempts. Try again in "
            "{wait}, or ask an administrator.",
        ),
        "pin.wrong": translate("Messages", "Wrong PIN. Check it and try again."),
        "correction.no_reason": translate("Messages", "Write the reason for the correction."),
        "correction.in_future": translate(
            "Messages", "A correction is for something that happened: choose a past time."
        ),
        "correction.breaks_day": translate(
            "Messages",
            "The {next} at {when} would no longer follow a {kind} at {at}. Change that "
            "record instead.",
        ),
        "record.choice_expired": translate("Messages", "That took too long. Please start again."),
        "record.too_late_to_change": translate(
            "Messages", "That record can no longer be changed here. Ask an administrator."
        ),
        "employee.unknown_code": translate(
            "Messages", "There is no employee with code {code}. Check the code and try again."
        ),
        "employee.deactivated": translate(
            "Messages",
            "Employee {code} is deactivated. An administrator can reactivate them in "
            "Settings, Employees.",
        ),
        "employee.code_taken": translate(
            "Messages", "An employee with code {code} already exists. Choose another code."
        ),
        "employee.no_name": translate("Messages", "Write the employee's name."),
        "employee.name_too_long": translate(
            "Messages", "The name can have at most {n} characters (this one has {has})."
        ),
        "employee.bad_code": translate(
            "Messages", "The employee code must be 1 to {n} characters, without spaces."
        ),
        "pin.bad_length": translate("Messages", "The PIN must be {low} to {high} digits."),
        "pin.one_digit": translate(
            "Messages", "The PIN cannot be one digit repeated. Choose another PIN."
        ),
        "password.too_short": translate("Messages", "The password needs at least {n} characters."),
        "password.spaces": translate("Messages", "The password cannot start or end with spaces."),
        "password.repetitive": translate(
            "Messages", "The password is too repetitive. Use more different characters."
        ),
        "correction.already_voided": translate("Messages", "That record is already voided."),
        "employee.erase_needs_reason": translate(
            "Messages", "Write why the biometric data is being erased."
        ),
        "shift.unknown": translate(
            "Messages", "There is no shift named {name}. Reload the list and try again."
        ),
        "shift.name_taken": translate(
            "Messages", "A shift named {name} already exists. Choose another name."
        ),
        "shift.zero_length": translate(
            "Messages", "A shift cannot start and end at the same time. Change one of them."
        ),
        "shift.bad_name": translate("Messages", "Write the shift's name (at most {n} characters)."),
        "shift.no_days": translate("Messages", "Tick at least one day for the shift."),
        "shift.bad_grace": translate("Messages", "Grace minutes are 0 to 240."),
        "employee.assignment_reversed": translate(
            "Messages", "The assignment ends before it starts."
        ),
        "store.disk_full": translate(
            "Messages", "Could not save — the disk is full. Call an administrator."
        ),
        "store.read_only": cannot_be_written,
        "store.io_error": cannot_be_written,
        "export.cannot_write": translate(
            "Messages", "Could not write {path} ({why}). Choose another folder or file name."
        ),
    }


def _not_possible_text(values: Values) -> str:
    """A correction the day's records refuse: said by where the person stood then."""
    state = values.get("state")
    key = state.key if isinstance(state, Message) else ""
    texts = {
        "day_state.off": translate(
            "Messages", "Not possible then: the employee was not checked in at that time."
        ),
        "day_state.in": translate(
            "Messages", "Not possible then: the employee was already checked in."
        ),
        "day_state.on_break": translate(
            "Messages", "Not possible then: the employee was on a break at that time."
        ),
    }
    return texts.get(key, translate("Messages", "That record is not possible at that time."))


# Keys whose sentence depends on a value, not only fills it in.
_BUILDERS: dict[str, Callable[[Values], str]] = {"record.not_possible": _not_possible_text}


def _said(value: object) -> object:
    """A value as the window says it: a kind of record as its button says it, any other
    ``Message`` (why an export was refused) from core's catalogue in the window's
    language; anything else as it is."""
    if not isinstance(value, Message):
        return value
    family, _, name = value.key.partition(".")
    if family == "kind_noun" and name in {kind.value for kind in Kind}:
        return kind_text(Kind(name))
    return text_in(window_language(), value.key, **value.params)


def kiosk_text(message: Message) -> str | None:
    """The window's own sentence for ``message``, or None when it has none."""
    if (build := _BUILDERS.get(message.key)) is not None:
        return build(message.params)
    template = _templates().get(message.key)
    if template is None:
        return None
    return template.format(**{name: _said(value) for name, value in message.params.items()})


def known_keys() -> set[str]:
    """The keys the window has its own sentence for (tests/kiosk/test_kiosk_i18n.py checks them
    against core's catalogue)."""
    return set(_templates()) | set(_BUILDERS)


def _core_text(message: Message) -> str:
    """A sentence of core's catalogue in the window's language, as a sentence."""
    said = text_in(window_language(), message.key, **message.params)
    return said[:1].upper() + said[1:]


def sync_error_text(status: SyncStatus) -> str:
    """Why the last sync failed, in the window's language ("" when it did not)."""
    if status.last_error_said is not None:
        return _core_text(status.last_error_said)
    return status.last_error or ""


def core_sentence(message: Message) -> str:
    """One of core's sentences, in the window's language, as a sentence on its own: a
    capital first and a full stop last (the catalogue's are often parts of a line)."""
    said = _core_text(message)
    return said if said.endswith((".", "!", "?", "…")) else said + "."


def one_sentence(exc: BaseException) -> str:
    """A refusal said in one sentence, without a headline: the window's own sentence for
    its key, else core's in the window's language (a join refused for a wrong passphrase
    or an expired file says exactly that, and nothing more)."""
    if isinstance(exc, AsistenciaError) and exc.key is not None and knows(exc.key):
        message = Message(exc.key, **exc.params)
        return kiosk_text(message) or core_sentence(message)
    said = describe_error(exc)
    return said.text + (f"\n{said.details}" if said.details else "")


def describe_error(exc: BaseException) -> UserMessage:
    """The sentence to show for an error raised by core (or anything else)."""
    if isinstance(exc, SettingsError):
        lines = [str(_said(line)) for line in exc.messages]
        return UserMessage(
            translate("Messages", "That value is not allowed. Correct it and save again."),
            "\n".join(lines),
        )
    if isinstance(exc, AsistenciaError):
        details = str(exc).strip()
        if exc.key is not None:
            message = Message(exc.key, **exc.params)
            if (own := kiosk_text(message)) is not None:
                return UserMessage(own)
            if knows(exc.key):
                details = _core_text(message)
        return UserMessage(
            translate("Messages", "The request was refused. The reason is below."), details
        )
    if isinstance(exc, OSError):
        return UserMessage(
            translate(
                "Messages", "The file could not be read or written. Check the path and try again."
            ),
            str(exc),
        )
    log.error("unexpected error", exc_info=exc)
    return UserMessage(
        translate(
            "Messages",
            "Something went wrong. Try again; if it keeps happening, tell the person who "
            "looks after this kiosk (the details are in the log file).",
        ),
        f"{type(exc).__name__}: {exc}",
    )


def not_recorded_text(outcome: NotRecorded) -> str:
    """Why a face or PIN did not become a record, for the result card."""
    if outcome.reason.value == "cooldown":
        wait = describe_wait(outcome.retry_after or timedelta(0))
        if outcome.last_kind is not None and outcome.last_local_time is not None:
            # Say what the moment-ago record was: "try again" alone read as an invitation
            # to check out (the second pass used to toggle the person out).
            return translate(
                "Messages", "{kind} at {time}. If this is a new record, wait {wait}."
            ).format(
                kind=kind_text(outcome.last_kind),
                time=f"{outcome.last_local_time:%H:%M}",
                wait=wait,
            )
        return translate(
            "Messages",
            "Already recorded a moment ago. If this is a new check, try again in {wait}.",
        ).format(wait=wait)
    if outcome.reason.value == "not_allowed":
        return translate(
            "Messages",
            "That record does not follow your last one. Choose another, or ask an administrator.",
        )
    return translate(
        "Messages",
        "Not recorded: the kiosk's clock is behind your last record. Please tell an administrator.",
    )


def not_saved_text(outcome: NotSaved) -> str:
    """A record the rules accepted but the disk did not keep, for the result card."""
    if outcome.disk_full:
        return translate("Messages", "Could not save — the disk is full. Call an administrator.")
    return translate(
        "Messages", "Could not save — the kiosk's disk cannot be written. Call an administrator."
    )


def store_problem_text(problem: WriteProblem) -> str:
    """The kiosk's status while its store cannot keep records (until one is kept again)."""
    if problem.disk_full:
        return translate(
            "Messages", "Records cannot be saved: the disk is full. Call an administrator."
        )
    return translate(
        "Messages",
        "Records cannot be saved: the kiosk's disk cannot be written. Call an administrator.",
    )


def refusal_text(reason: Refusal | None) -> str:
    """What to do about a face the quality gates refused (kiosk prompt and enrollment).

    Keyed by value, so refusals the engine knows beyond today's Refusal members
    (duplicate, inconsistent, unreadable) read well as soon as they are added.
    """
    texts = {
        "too_small": translate("Messages", "Come a little closer"),
        "blurry": translate("Messages", "Hold still for a moment"),
        "too_dark": translate("Messages", "Too dark: face the light"),
        "too_bright": translate("Messages", "Too bright: step out of the glare"),
        "pose": translate("Messages", "Look straight at the camera"),
        "several_faces": translate("Messages", "One person at a time, please"),
        "no_face": translate("Messages", "No face found: look at the camera"),
        "duplicate": translate("Messages", "This face is already enrolled for someone else"),
        "inconsistent": translate(
            "Messages", "This sample does not match the others: the same person only"
        ),
        "other_person": translate(
            "Messages", "This face does not match the faces already enrolled for this employee"
        ),
        "unreadable": translate("Messages", "The picture could not be read"),
        "spoof": translate(
            "Messages",
            "This looks like a photo or a screen. Face the camera yourself, or use code and PIN.",
        ),
    }
    default = translate("Messages", "Look at the camera")
    return default if reason is None else texts.get(str(reason.value), default)
