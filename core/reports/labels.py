"""The words of a report in the interface's language (Qt-free, so core can write them).

The window translates with Qt's ``tr``; a report is written by core (the command line and
the central export too), which may not import Qt, so its headers and values have this
small catalogue of their own, Spanish and English, kept complete by tests/test_reports.py.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

Language = Literal["es", "en"]
LANGUAGES: tuple[Language, ...] = ("es", "en")
FALLBACK: Language = "es"  # the kiosk's home language, as the window's

# key: (Spanish, English)
WORDS: dict[str, tuple[str, str]] = {
    # sheet names (Excel allows 31 characters)
    "sheet.records": ("Registros", "Records"),
    "sheet.days": ("Resumen diario", "Daily summary"),
    "sheet.totals": ("Totales del periodo", "Period totals"),
    # headers
    "col.record": ("Registro", "Record"),
    "col.code": ("Código", "Code"),
    "col.name": ("Nombre", "Name"),
    "col.kind": ("Tipo", "Type"),
    "col.local_time": ("Fecha y hora", "Date and time"),
    "col.utc_time": ("Fecha y hora (UTC)", "Date and time (UTC)"),
    "col.shift_day": ("Día de turno", "Shift day"),
    "col.method": ("Método", "Method"),
    "col.kiosk": ("Quiosco", "Kiosk"),
    "col.score": ("Distancia facial", "Face distance"),
    "col.late": ("Retraso (min)", "Late (min)"),
    "col.status": ("Estado", "Status"),
    "col.void_reason": ("Motivo de anulación", "Reason voided"),
    "col.site": ("Sede", "Site"),
    "col.date": ("Fecha", "Date"),
    "col.shift": ("Turno", "Shift"),
    "col.first_in": ("Primera entrada", "First in"),
    "col.last_out": ("Última salida", "Last out"),
    "col.breaks": ("Pausas (h)", "Breaks (h)"),
    "col.worked": ("Trabajado (h)", "Worked (h)"),
    "col.early_leave": ("Salida anticipada (min)", "Early leave (min)"),
    "col.overtime": ("Horas extra (min)", "Overtime (min)"),
    "col.missing_checkout": ("Falta la salida", "Missing check-out"),
    "col.corrections": ("Correcciones", "Corrections"),
    "col.days_worked": ("Días trabajados", "Days worked"),
    "col.hours_worked": ("Horas trabajadas (h)", "Hours worked (h)"),
    "col.break_hours": ("Horas de pausa (h)", "Break hours (h)"),
    "col.absences": ("Ausencias", "Absences"),
    "col.missing_checkouts": ("Salidas que faltan", "Missing check-outs"),
    # values
    "kind.in": ("Entrada", "In"),
    "kind.out": ("Salida", "Out"),
    "kind.break_start": ("Inicio de pausa", "Break start"),
    "kind.break_end": ("Fin de pausa", "Break end"),
    "method.face": ("Rostro", "Face"),
    "method.pin": ("PIN", "PIN"),
    "method.manual": ("Manual", "Manual"),
    "status.valid": ("Válido", "Valid"),
    "status.voided": ("Anulado", "Voided"),
    "yes": ("Sí", "Yes"),
    "no": ("No", "No"),
}


def word(key: str, language: Language) -> str:
    spanish, english = WORDS[key]
    return spanish if language == "es" else english


def value_word(prefix: str, value: str, language: Language) -> str:
    """A stored value spelled out (``kind.in`` → "Entrada"); an unknown one as stored."""
    key = f"{prefix}.{value}"
    return word(key, language) if key in WORDS else value


def report_language(setting: str, environ: Mapping[str, str] | None = None) -> Language:
    """'es' or 'en' for the ``language`` setting ('auto', 'es', 'en'), as the window does:
    'auto' follows the system locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, in POSIX's order
    of precedence), with Spanish as the fallback."""
    if setting in LANGUAGES:
        return "es" if setting == "es" else "en"
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for tag in env.get(name, "").split(":"):
            language = tag.replace("-", "_").split("_")[0].split(".")[0].lower()
            if language == "es":
                return "es"
            if language == "en":
                return "en"
    return FALLBACK


def decimal_separator(language: Language) -> str:
    """The decimal separator of the language's spreadsheets (es_ES: ',', en_GB: '.')."""
    return "," if language == "es" else "."
