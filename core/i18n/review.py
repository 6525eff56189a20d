"""What a record held for review is about (core/sync/held_about.py), for ``central review``
and the console's held records page, Spanish and English."""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language


def _(es: str, en: str) -> Mapping[Language, str]:
    return {"es": es, "en": en}


REVIEW: dict[str, Mapping[Language, str]] = {
    # {kind} is a kind of record's noun (kind_noun.*): "entrada" / "check-in"
    "held.event": _("{code} {name}: {kind} el {time}", "{code} {name}: {kind} on {time}"),
    "held.correction": _(
        "corrección del registro de {kind} de {code} {name} del {time} («{reason}»)",
        "correction of {code} {name}'s {kind} on {time} (“{reason}”)",
    ),
    "held.correction_unknown": _(
        "corrección de un registro que aún no ha llegado ({record}…)",
        "correction of a record that has not arrived yet ({record}…)",
    ),
    "held.add_employee": _("alta del empleado {code} {name}", "adds employee {code} {name}"),
    "held.change_employee": _(
        "cambio en el empleado {code} {name}", "changes employee {code} {name}"
    ),
    "held.change_face": _(
        "registro de una cara de {code} {name}", "enrols a face of {code} {name}"
    ),
    "held.change_keys": _(
        "claves personales de {code} {name}", "the personal keys of {code} {name}"
    ),
    "held.change_assignment": _(
        "cambio en los turnos de {code} {name}", "changes the shifts of {code} {name}"
    ),
    "held.change_shift": _("cambio en el turno «{shift}»", "changes the shift “{shift}”"),
    "held.change_erasure": _(
        "borrado de los datos biométricos de {code} {name}",
        "erases the biometrics of {code} {name}",
    ),
    "held.change_other": _(
        "cambio en {entity} ({operation})", "a change to {entity} ({operation})"
    ),
    "held.audit": _("línea de auditoría «{action}» de {actor}", "audit line “{action}” by {actor}"),
    "held.col_about": _("Quién / qué / cuándo", "Who / what / when"),
}
