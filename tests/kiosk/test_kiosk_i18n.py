"""Languages and messages: every string translated, the locale chosen, errors in words."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.attendance.outcomes import NotRecorded
from core.attendance.rules import IgnoreReason
from core.config import SettingsError
from core.errors import NotFoundError, RefusedError, UsageError
from core.i18n import Message
from core.people.identifiers import EMPLOYEE_NAME, printable_problem
from core.people.users import SIGN_IN_REFUSED
from core.runtime.api import Refusal
from kiosk import i18n_build
from kiosk.app import prepare
from kiosk.i18n import resolve_language, translators
from kiosk.messages import describe_error, not_recorded_text, refusal_text
from tests.support.paths import ROOT


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    prepare(qapp, "es")
    yield
    prepare(qapp, "en")


def test_auto_follows_the_system_locale_with_spanish_as_the_fallback() -> None:
    assert resolve_language("auto", QLocale("en_US")) == "en"
    assert resolve_language("auto", QLocale("es_MX")) == "es"
    assert resolve_language("auto", QLocale("fr_FR")) == "es"
    assert resolve_language("auto", QLocale("de_DE")) == "es"
    assert resolve_language("en", QLocale("es_ES")) == "en"
    assert resolve_language("es", QLocale("en_US")) == "es"


def source_strings(ts: Path) -> set[str]:
    return set(re.findall(r"<source>(.*?)</source>", ts.read_text(encoding="utf-8"), re.S))


def test_every_string_in_the_window_is_in_both_catalogues_and_translated(
    tmp_path: Path,
) -> None:
    for ts in i18n_build.ts_files():
        assert ts.is_file(), f"{ts} is missing: run python -m kiosk.i18n_build"
        assert i18n_build.unfinished(ts) == [], f"untranslated strings in {ts.name}"
    lupdate = i18n_build._tool("pyside6-lupdate")
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed")
    fresh = tmp_path / "fresh.ts"
    sources = [str(p.relative_to(ROOT)) for p in i18n_build.source_files()]
    subprocess.run(
        [lupdate, *sources, "-locations", "none", "-silent", "-ts", str(fresh)],
        check=True,
        cwd=ROOT,
    )
    expected = source_strings(fresh)
    assert len(expected) > 200
    for ts in i18n_build.ts_files():
        missing = expected - source_strings(ts)
        assert not missing, f"{ts.name} lacks {sorted(missing)[:5]}: run make translations"


def test_the_build_does_nothing_when_nothing_changed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # On copies, so the test never rewrites the committed catalogues.
    for ts in i18n_build.ts_files():
        shutil.copy(ts, tmp_path / ts.name)
    monkeypatch.setattr(i18n_build, "TRANSLATIONS_DIR", tmp_path)
    assert i18n_build.update() is True
    assert i18n_build.release() is True
    assert all(ts.with_suffix(".qm").is_file() for ts in i18n_build.ts_files())

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"ran {args} although nothing changed")

    monkeypatch.setattr(subprocess, "run", refuse)
    assert i18n_build.update() is True
    assert i18n_build.release() is True


def test_a_missing_tool_is_reported_not_fatal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(i18n_build, "_tool", lambda _name: None)
    target = tmp_path / "asistencia_es.ts"
    shutil.copy(i18n_build.ts_files()[0], target)
    assert i18n_build.release([target]) is False
    assert "pyside6-lrelease not found" in capsys.readouterr().out
    monkeypatch.setattr(i18n_build, "ts_files", lambda: [tmp_path / "none.ts"])
    assert i18n_build.update() is False
    assert "pyside6-lupdate not found" in capsys.readouterr().out


def test_the_spanish_catalogue_is_used(spanish: None) -> None:
    assert translators.language == "es"
    assert QCoreApplication.translate("KioskScreen", "Look at the camera") == "Mire a la cámara"
    assert QCoreApplication.translate("Kinds", "Check-in") == "Entrada"
    assert QCoreApplication.translate("Kinds", "Check-out") == "Salida"
    text = describe_error(RefusedError("wrong PIN"))
    assert text.text.startswith("PIN incorrecto")


def test_an_export_refusal_gives_its_reason_in_the_windows_language(spanish: None) -> None:
    """core says why (core/reports/export_target.py); the window says it in its own language."""
    refused = UsageError(
        Message(
            "export.cannot_write", path=Path("/m/notas.csv"), why=Message("export.not_a_report")
        )
    )
    said = describe_error(refused)
    assert said.text.startswith("No se pudo escribir /m/notas.csv (ya existe y no es un informe")
    assert said.details == ""
    linked = describe_error(
        UsageError(
            Message(
                "export.cannot_write",
                path="/m/x.csv",
                why=Message("export.under_another_name", why=Message("export.is_database")),
            )
        )
    )
    assert "(es la base de datos del quiosco (con otro nombre))" in linked.text


def test_a_keyed_refusal_without_its_own_sentence_is_said_in_the_windows_language(
    spanish: None,
) -> None:
    """A sentence of core's catalogue the window has no wording for (a name with a control
    character) still comes in the window's language, not English under a Spanish title."""
    problem = printable_problem("Ana\x1bB", EMPLOYEE_NAME)
    assert problem is not None
    said = describe_error(UsageError(problem))
    assert said.text == "No se ha podido hacer. El motivo está debajo."
    assert said.details == (
        "El nombre del empleado solo puede tener caracteres visibles; U+001B no lo es (quítelo)"
    )


def test_core_errors_become_sentences_that_say_what_to_do() -> None:
    refused = describe_error(RefusedError(SIGN_IN_REFUSED))
    assert "locked after too many failed attempts" in refused.text and refused.details == ""
    missing = describe_error(NotFoundError("no employee with code 'X9'"))
    assert "X9" in missing.text and "Check the code" in missing.text
    unknown = describe_error(RefusedError("something new from core"))
    assert unknown.details == "something new from core"  # shown as it came
    settings = describe_error(SettingsError(["invalid setting 'x' = 1"]))
    assert "invalid setting" in settings.details
    crash = describe_error(ZeroDivisionError("boom"))
    assert "log file" in crash.text and "boom" in crash.details


def test_a_spoof_is_refused_in_both_languages(spanish: None, qapp: QApplication) -> None:
    assert refusal_text(Refusal.SPOOF).startswith("Parece una foto o una pantalla")
    prepare(qapp, "en")
    assert refusal_text(Refusal.SPOOF).startswith("This looks like a photo or a screen")


def test_refusals_and_cooldowns_in_words() -> None:
    assert refusal_text(Refusal.BLURRY) == "Hold still for a moment"
    assert refusal_text(None) == "Look at the camera"
    cooldown = NotRecorded("E1", "Ana", IgnoreReason.COOLDOWN, timedelta(seconds=75), "x")
    assert "2 min" in not_recorded_text(cooldown)
    behind = NotRecorded("E1", "Ana", IgnoreReason.OUT_OF_ORDER, None, "x")
    assert "clock" in not_recorded_text(behind)


def test_qts_own_dialogs_speak_spanish_too(spanish: None, qtbot: QtBot) -> None:
    """The camera page's file chooser is Qt's own dialog: its words come from Qt's catalogue
    (qtbase_es), which the window loads beside its own."""
    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

    dialog = QFileDialog(None, "Elegir un vídeo")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = {w.text() for w in dialog.findChildren(QLabel) if w.isVisible()}
    texts |= {w.text() for w in dialog.findChildren(QAbstractButton) if w.isVisible()}
    assert "&Ver en:" in texts and "Ficheros de &tipo:" in texts, texts
    english = {"&Look in:", "Files of &type:", "File &name:", "Cancel", "&Open"}
    assert not texts & english, texts & english
