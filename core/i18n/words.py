"""The words of records and reports, Spanish and English: one table for the report's
sheets and columns (core/reports/labels.py), the command line's tables and sentences, and
the English sentences core builds (``KIND_WORDS`` in core/attendance/outcomes.py).

A kind of record has two names: the report's value ("Entrada" / "In") and the noun a
sentence uses ("entrada" / "check-in": "check-in recorded for ...").
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

WORDS: dict[str, Mapping[Language, str]] = {
    # sheet names (Excel allows 31 characters)
    "sheet.records": {"es": "Registros", "en": "Records"},
    "sheet.days": {"es": "Resumen diario", "en": "Daily summary"},
    "sheet.totals": {"es": "Totales del periodo", "en": "Period totals"},
    # column headers (reports, and the command line's tables)
    "col.record": {"es": "Registro", "en": "Record"},
    "col.code": {"es": "Código", "en": "Code"},
    "col.name": {"es": "Nombre", "en": "Name"},
    "col.kind": {"es": "Tipo", "en": "Type"},
    "col.local_time": {"es": "Fecha y hora", "en": "Date and time"},
    "col.utc_time": {"es": "Fecha y hora (UTC)", "en": "Date and time (UTC)"},
    "col.shift_day": {"es": "Día de turno", "en": "Shift day"},
    "col.method": {"es": "Método", "en": "Method"},
    "col.kiosk": {"es": "Quiosco", "en": "Kiosk"},
    "col.score": {"es": "Distancia facial", "en": "Face distance"},
    "col.late": {"es": "Retraso (min)", "en": "Late (min)"},
    "col.status": {"es": "Estado", "en": "Status"},
    "col.void_reason": {"es": "Motivo de anulación", "en": "Reason voided"},
    "col.site": {"es": "Sede", "en": "Site"},
    "col.date": {"es": "Fecha", "en": "Date"},
    "col.shift": {"es": "Turno", "en": "Shift"},
    "col.first_in": {"es": "Primera entrada", "en": "First in"},
    "col.last_out": {"es": "Última salida", "en": "Last out"},
    "col.breaks": {"es": "Pausas (h)", "en": "Breaks (h)"},
    "col.worked": {"es": "Trabajado (h)", "en": "Worked (h)"},
    "col.early_leave": {"es": "Salida anticipada (min)", "en": "Early leave (min)"},
    "col.overtime": {"es": "Horas extra (min)", "en": "Overtime (min)"},
    "col.missing_checkout": {"es": "Falta la salida", "en": "Missing check-out"},
    "col.corrections": {"es": "Correcciones", "en": "Corrections"},
    "col.days_worked": {"es": "Días trabajados", "en": "Days worked"},
    "col.hours_worked": {"es": "Horas trabajadas (h)", "en": "Hours worked (h)"},
    "col.break_hours": {"es": "Horas de pausa (h)", "en": "Break hours (h)"},
    "col.absences": {"es": "Ausencias", "en": "Absences"},
    "col.missing_checkouts": {"es": "Salidas que faltan", "en": "Missing check-outs"},
    # the command line's other tables
    "col.time": {"es": "Hora", "en": "Time"},
    "col.active": {"es": "Activo", "en": "Active"},
    "col.pin": {"es": "PIN", "en": "PIN"},
    "col.faces": {"es": "Rostros", "en": "Faces"},
    "col.shifts": {"es": "Turnos", "en": "Shifts"},
    "col.start": {"es": "Inicio", "en": "Start"},
    "col.end": {"es": "Fin", "en": "End"},
    "col.days": {"es": "Días", "en": "Days"},
    "col.grace": {"es": "Tolerancia (min)", "en": "Grace (min)"},
    "col.people": {"es": "Personas", "en": "People"},
    "col.user": {"es": "Usuario", "en": "User"},
    "col.role": {"es": "Rol", "en": "Role"},
    "col.locked_until": {"es": "Bloqueado hasta", "en": "Locked until"},
    # values spelled out
    "kind.in": {"es": "Entrada", "en": "In"},
    "kind.out": {"es": "Salida", "en": "Out"},
    "kind.break_start": {"es": "Inicio de pausa", "en": "Break start"},
    "kind.break_end": {"es": "Fin de pausa", "en": "Break end"},
    "method.face": {"es": "Rostro", "en": "Face"},
    "method.pin": {"es": "PIN", "en": "PIN"},
    "method.manual": {"es": "Manual", "en": "Manual"},
    "status.valid": {"es": "Válido", "en": "Valid"},
    "status.voided": {"es": "Anulado", "en": "Voided"},
    "yes": {"es": "Sí", "en": "Yes"},
    "no": {"es": "No", "en": "No"},
    # a kind of record named in a sentence
    "kind_noun.in": {"es": "entrada", "en": "check-in"},
    "kind_noun.out": {"es": "salida", "en": "check-out"},
    "kind_noun.break_start": {"es": "inicio de pausa", "en": "break start"},
    "kind_noun.break_end": {"es": "fin de pausa", "en": "break end"},
    # how a record was made, in a sentence ("(pin, record ...)")
    "method_noun.face": {"es": "rostro", "en": "face"},
    "method_noun.pin": {"es": "PIN", "en": "pin"},
    "method_noun.manual": {"es": "manual", "en": "manual"},
}
