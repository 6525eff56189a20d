"""The erasure rule, the same on the kiosk and centrally.

An erasure at instant T removes a person's biometric data made up to T. A template survives
only when it was made after T *and* the person consented again after T (re-enrollment);
without a later consent, every template and the photo go. A template pushed late by a kiosk
that was offline during the erasure is therefore refused and purged everywhere.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_


def template_survives(
    template_created_at: datetime, consent_at: datetime | None, erased_at: datetime | None
) -> bool:
    if erased_at is None:
        return True
    return consent_at is not None and consent_at > erased_at and template_created_at > erased_at


def reconsented(consent_at: datetime | None, erased_at: datetime | None) -> bool:
    """True when the person consented again after their last erasure (or was never erased)."""
    return erased_at is None or (consent_at is not None and consent_at > erased_at)


def doomed_template(
    template_created_at: ColumnElement[datetime],
    consent_at: ColumnElement[datetime],
    erased_at: ColumnElement[datetime],
) -> ColumnElement[bool]:
    """SQL for "this template must go" (the negation of :func:`template_survives`)."""
    return and_(
        erased_at.is_not(None),
        or_(
            consent_at.is_(None),
            consent_at <= erased_at,
            template_created_at <= erased_at,
        ),
    )
