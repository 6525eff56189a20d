"""Adopting the deployment's secrets on a kiosk that started with its own.

A kiosk used alone first (``make run``) made its own data key and pepper. To join a
deployment it must take the deployment's: every person key is unwrapped with the old data
key and wrapped again with the new one (at the new file's epoch; the faces, sealed with the
person keys, stay as they are, and one still sealed with the data key itself moves to its
person's key), in one transaction with the new key ids and an audit line; only then is the
new secrets file put in place. PIN hashes made with the old
pepper cannot be carried over (the PINs themselves are not known): they are cleared, and
the command refuses to do that unless told to, naming how many employees need a new PIN.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select, update

from core.errors import UsageError
from core.secrets.keys import is_sealed, sealing_key_id
from core.secrets.pins import is_peppered
from core.secrets.sealed import open_photo, open_template, seal_photo, seal_template
from core.secrets.secrets_file import Secrets, read_secrets, write_secrets
from core.store import audit
from core.store.database import Store
from core.store.models import Deployment, Employee, FaceTemplate
from core.store.person_keys import key_for_sealing, rewrap_all


@dataclass
class RekeyReport:
    templates: int = 0
    photos: int = 0
    pins_cleared: list[str] = field(default_factory=list)


def peppered_pins(store: Store) -> list[str]:
    with store.read() as session:
        rows = session.execute(select(Employee.code, Employee.pin_hash)).all()
    return sorted(code for code, pin_hash in rows if is_peppered(pin_hash))


def adopt_secrets(
    store: Store,
    new: Secrets,
    secrets_path: Path,
    *,
    forget_pins: bool,
    actor: str,
    kiosk_id: str,
) -> RekeyReport:
    old = store.keys
    report = RekeyReport()
    if new.keys == old:
        return report
    pins = peppered_pins(store)
    if pins and not forget_pins:
        raise UsageError(
            f"{len(pins)} employee(s) have a PIN made with this kiosk's own pepper "
            f"({', '.join(pins[:5])}{'…' if len(pins) > 5 else ''}); it cannot be carried over. "
            "Run again with --forget-pins to clear them (set them again afterwards)"
        )
    kept_password = read_secrets(secrets_path).central_password if secrets_path.exists() else None
    staged = secrets_path.with_name(secrets_path.name + ".new")
    write_secrets(staged, replace(new, central_password=new.central_password or kept_password))
    try:
        with store.write() as session:
            rewrap_all(session, old, new.keys, resend_unconfirmed=False, every_epoch=True)
            for template in session.scalars(select(FaceTemplate)):
                if sealing_key_id(template.vector) is None:
                    vector = template.vector
                    if is_sealed(vector):
                        vector = open_template(old, template.id, template.employee_id, vector)
                    person = key_for_sealing(session, new.keys, template.employee_id)
                    template.vector = seal_template(
                        person, template.id, template.employee_id, vector
                    )
                report.templates += 1
            for employee in session.scalars(select(Employee)):
                if employee.photo_jpeg is not None:
                    photo = employee.photo_jpeg
                    if sealing_key_id(photo) is None:
                        if is_sealed(photo):
                            photo = open_photo(old, employee.id, photo)
                        person = key_for_sealing(session, new.keys, employee.id)
                        employee.photo_jpeg = seal_photo(person, employee.id, photo)
                    report.photos += 1
                if is_peppered(employee.pin_hash):
                    employee.pin_hash = None
                    employee.sync_pending = True
                    report.pins_cleared.append(employee.code)
            session.execute(
                update(Deployment)
                .where(Deployment.id == 1)
                .values(key_id=new.keys.key_id, pepper_id=new.keys.pepper_id, epoch=new.keys.epoch)
            )
            audit.record(
                session,
                actor=actor,
                action="secrets.import",
                target_type="deployment",
                target_id=new.keys.key_id,
                kiosk_id=kiosk_id,
                details={
                    "from_key": old.key_id,
                    "templates": report.templates,
                    "photos": report.photos,
                    "pins_cleared": len(report.pins_cleared),
                },
            )
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    staged.replace(secrets_path)
    store.keys = new.keys
    store.checkpoint()
    return report


def describe(secrets: Secrets) -> dict[str, str]:
    return {"data_key": secrets.keys.key_id, "pepper": secrets.keys.pepper_id}
