"""Errors and refusals from core, as sentences in the window's language: one place.

Core raises ``AsistenciaError`` subclasses whose messages are English sentences meant for
people. The ones a kiosk user or administrator meets are recognised here and translated,
each saying what to do next; anything else is shown as it came, under a translated
headline, so no error is ever hidden.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from PySide6.QtCore import QCoreApplication

from core.attendance.outcomes import KIND_WORDS, NotRecorded, NotSaved
from core.config import SettingsError
from core.errors import AsistenciaError
from core.i18n import Message, text_in
from core.i18n.catalogue import knows
from core.people.users import SIGN_IN_REFUSED
from core.runtime.api import Refusal, WriteProblem
from core.secrets.passwords import describe_wait
from kiosk.i18n import translators
from kiosk.kinds import kind_text

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


@dataclass(frozen=True)
class UserMessage:
    text: str  # translated, says what to do
    details: str = ""  # the original message when it had no translation


def _patterns() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]:
    # Built on each call so the texts follow the language installed at that moment.
    rules: list[tuple[str, Callable[[re.Match[str]], str]]] = [
        (
            re.escape(SIGN_IN_REFUSED),
            lambda _m: translate(
                "Messages",
                "Wrong user name or password, or the account is locked after too many failed "
                "attempts. Check both and try again later, or ask another administrator to "
                "unlock it.",
            ),
        ),
        (
            r"wrong PIN; '(?P<code>.+)' is locked for (?P<wait>.+)",
            lambda m: translate(
                "Messages",
                "Wrong PIN. The PIN of {code} is now locked for {wait}; an administrator "
                "can record your attendance meanwhile.",
            ).format(code=m["code"], wait=m["wait"]),
        ),
        (
            r"too many wrong PINs for '(?P<code>.+)'; try again in (?P<wait>.+)",
            lambda m: translate(
                "Messages",
                "The PIN of {code} is locked after too many wrong attempts. Try again in "
                "{wait}, or ask an administrator.",
            ).format(code=m["code"], wait=m["wait"]),
        ),
        (
            r"wrong PIN",
            lambda _m: translate("Messages", "Wrong PIN. Check it and try again."),
        ),
        (
            r"a correction needs a reason",
            lambda _m: translate("Messages", "Write the reason for the correction."),
        ),
        (
            r"a correction cannot be in the future",
            lambda _m: translate(
                "Messages", "A correction is for something that happened: choose a past time."
            ),
        ),
        (
            r"the (?P<next>[a-z -]+) at (?P<when>[0-9-]+ [0-9:]+) would no longer follow a "
            r"(?P<kind>[a-z -]+) at (?P<at>[0-9:]+); change that record instead",
            lambda m: translate(
                "Messages",
                "The {next} at {when} would no longer follow a {kind} at {at}. Change that "
                "record instead.",
            ).format(
                next=_kind_named(m["next"]), when=m["when"], kind=_kind_named(m["kind"]), at=m["at"]
            ),
        ),
        (
            r".+: that kind of record is not possible now \(the person is (?P<state>[a-z_]+)\)",
            lambda m: _not_possible_text(m["state"]),
        ),
        (
            r"that choice has expired; please start again",
            lambda _m: translate("Messages", "That took too long. Please start again."),
        ),
        (
            r"that record can no longer be changed here; ask an administrator",
            lambda _m: translate(
                "Messages", "That record can no longer be changed here. Ask an administrator."
            ),
        ),
        (
            r"no employee with code '(?P<code>.*)'",
            lambda m: translate(
                "Messages", "There is no employee with code {code}. Check the code and try again."
            ).format(code=m["code"]),
        ),
        (
            r"employee '(?P<code>.+)' has no PIN; .*",
            lambda m: translate(
                "Messages",
                "Employee {code} has no PIN yet. An administrator can set one in "
                "Settings, Employees.",
            ).format(code=m["code"]),
        ),
        (
            r"employee '(?P<code>.+)' is deactivated",
            lambda m: translate(
                "Messages",
                "Employee {code} is deactivated. An administrator can reactivate them in "
                "Settings, Employees.",
            ).format(code=m["code"]),
        ),
        (
            r"an employee with code '(?P<code>.+)' already exists",
            lambda m: translate(
                "Messages", "An employee with code {code} already exists. Choose another code."
            ).format(code=m["code"]),
        ),
        (
            r"an employee needs a name",
            lambda _m: translate("Messages", "Write the employee's name."),
        ),
        (
            r"an employee's name is at most (?P<n>\d+) characters \(this one has "
            r"(?P<has>\d+)\); shorten it",
            lambda m: translate(
                "Messages", "The name can have at most {n} characters (this one has {has})."
            ).format(n=m["n"], has=m["has"]),
        ),
        (
            r"an employee code is 1 to (?P<n>\d+) characters without spaces",
            lambda m: translate(
                "Messages", "The employee code must be 1 to {n} characters, without spaces."
            ).format(n=m["n"]),
        ),
        (
            r"the PIN must be (?P<low>\d+) to (?P<high>\d+) digits",
            lambda m: translate("Messages", "The PIN must be {low} to {high} digits.").format(
                low=m["low"], high=m["high"]
            ),
        ),
        (
            r"the PIN cannot be one digit repeated",
            lambda _m: translate(
                "Messages", "The PIN cannot be one digit repeated. Choose another PIN."
            ),
        ),
        (
            r"the password needs at least (?P<n>\d+) characters",
            lambda m: translate("Messages", "The password needs at least {n} characters.").format(
                n=m["n"]
            ),
        ),
        (
            r"the password cannot start or end with spaces",
            lambda _m: translate("Messages", "The password cannot start or end with spaces."),
        ),
        (
            r"the password is too repetitive",
            lambda _m: translate(
                "Messages", "The password is too repetitive. Use more different characters."
            ),
        ),
        (
            r"a correction needs a reason",
            lambda _m: translate("Messages", "Write why the record is being corrected."),
        ),
        (
            r"that record is already voided",
            lambda _m: translate("Messages", "That record is already voided."),
        ),
        (
            r"erasing biometric data needs a reason.*",
            lambda _m: translate("Messages", "Write why the biometric data is being erased."),
        ),
        (
            r"no shift named '(?P<name>.+)'",
            lambda m: translate(
                "Messages", "There is no shift named {name}. Reload the list and try again."
            ).format(name=m["name"]),
        ),
        (
            r"a shift named '(?P<name>.+)' already exists",
            lambda m: translate(
                "Messages", "A shift named {name} already exists. Choose another name."
            ).format(name=m["name"]),
        ),
        (
            r"a shift cannot start and end at the same time",
            lambda _m: translate(
                "Messages", "A shift cannot start and end at the same time. Change one of them."
            ),
        ),
        (
            r"a shift needs a name of 1 to (?P<n>\d+) characters",
            lambda m: translate(
                "Messages", "Write the shift's name (at most {n} characters)."
            ).format(n=m["n"]),
        ),
        (
            r"a shift needs at least one day",
            lambda _m: translate("Messages", "Tick at least one day for the shift."),
        ),
        (
            r"grace minutes are 0 to 240",
            lambda _m: translate("Messages", "Grace minutes are 0 to 240."),
        ),
        (
            r"the assignment ends before it starts",
            lambda _m: translate("Messages", "The assignment ends before it starts."),
        ),
        (
            r"could not save: the disk is full.*",
            lambda _m: translate(
                "Messages", "Could not save — the disk is full. Call an administrator."
            ),
        ),
        (
            r"could not save: .*",
            lambda _m: translate(
                "Messages",
                "Could not save — the kiosk's disk cannot be written. Call an administrator.",
            ),
        ),
        (
            r"cannot write (?P<path>.+?): (?P<why>.+)",
            lambda m: _cannot_write(m["path"], m["why"]),
        ),
    ]
    return [(re.compile(pattern, re.S), build) for pattern, build in rules]


def _cannot_write(path: object, why: object) -> str:
    return translate(
        "Messages", "Could not write {path} ({why}). Choose another folder or file name."
    ).format(path=path, why=why)


def _language() -> Literal["es", "en"]:
    return "en" if translators.language == "en" else "es"


def _said(value: object) -> str:
    """A ``Message`` (why an export was refused) in the window's language."""
    if isinstance(value, Message):
        return text_in(_language(), value.key, **value.params)
    return str(value)


def _kind_named(words: str) -> str:
    """A kind of record as core names it in a sentence ("check-out"), in this language."""
    named = {text: kind for kind, text in KIND_WORDS.items()}
    kind = named.get(words)
    return kind_text(kind) if kind is not None else words


def _not_possible_text(state: str) -> str:
    texts = {
        "off": translate(
            "Messages", "Not possible then: the employee was not checked in at that time."
        ),
        "in": translate("Messages", "Not possible then: the employee was already checked in."),
        "on_break": translate(
            "Messages", "Not possible then: the employee was on a break at that time."
        ),
    }
    return texts.get(state, translate("Messages", "That record is not possible at that time."))


def describe_error(exc: BaseException) -> UserMessage:
    """The sentence to show for an error raised by core (or anything else)."""
    if isinstance(exc, SettingsError):
        return UserMessage(
            translate("Messages", "That value is not allowed. Correct it and save again."),
            "\n".join(exc.lines),
        )
    if isinstance(exc, AsistenciaError) and exc.key == "export.cannot_write":
        # The reason is core's (core/reports/export_target.py), said here in the window's language.
        return UserMessage(_cannot_write(exc.params["path"], _said(exc.params["why"])))
    if isinstance(exc, AsistenciaError):
        message = str(exc).strip()
        for pattern, build in _patterns():
            if match := pattern.fullmatch(message):
                return UserMessage(build(match))
        if exc.key is not None and knows(exc.key):
            # Keyed in core's catalogue: said in the window's language, not parsed back.
            said = text_in(_language(), exc.key, **exc.params)
            message = said[:1].upper() + said[1:]
        return UserMessage(
            translate("Messages", "The request was refused. The reason is below."), message
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
