"""Every page for a signed-in administrator in both languages, and what people type shown
as typed: escaped as HTML, stored and searched literally."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from core.store.models import AuditEntry
from core.store.tables import FACE_TEMPLATES
from core.sync.central import CentralDatabase
from core.sync.site_admin import create_site, list_sites
from tests.console.client import ConsoleClient
from tests.console.conftest import ADMIN
from tests.support.sync_support import add_employee_centrally, central_count

pytestmark = pytest.mark.postgres

PAGES = {
    "/fleet": {"es": "Quioscos", "en": "Kiosks"},
    "/people": {"es": "Personas y sedes", "en": "People and sites"},
    "/attendance": {"es": "Asistencia del periodo", "en": "Attendance for a period"},
    "/corrections": {"es": "Registrar lo que faltó", "en": "Enter a missing record"},
    "/held": {"es": "Registros retenidos para revisión", "en": "Records held for review"},
    "/people/person?code=E1": {"es": "Borrar los datos biométricos", "en": "Erase the biometrics"},
}


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_page_renders_in_the_browsers_language(
    admin: ConsoleClient, central: CentralDatabase, language: str
) -> None:
    add_employee_centrally(central, "E1", "Ana Pérez", templates=2)
    admin.language = f"{language}-ES,{language};q=0.9"
    for path, title in PAGES.items():
        page = admin.get(path)
        assert page.status == 200, (path, page.text[:500])
        assert f'<html lang="{language}">' in page.text
        assert html.escape(title[language], quote=True) in page.text, path
        for label in ('id="nav-people"', 'id="signout"', 'id="language-switch"'):
            assert label in page.text, (path, label)


def test_the_language_switch_overrides_the_browser(admin: ConsoleClient) -> None:
    admin.language = "en"
    switched = admin.get("/language/es?next=/held")
    assert switched.location == "/held"
    assert "Registros retenidos" in admin.get("/held").text
    assert admin.get("/language/en?next=https://evil.example").location == "/fleet"


def test_people_shows_who_is_enrolled_where(admin: ConsoleClient, central: CentralDatabase) -> None:
    add_employee_centrally(central, "E1", "Ana Pérez", templates=3)
    add_employee_centrally(central, "E2", "Luis Gil")
    create_site(central, "norte", "Planta Norte")
    joined = admin.submit(
        "/people/person?code=E1",
        "/people/person/sites",
        {"code": "E1", "site": "norte", "reason": "", "change": "add"},
    )
    assert joined.status == 303
    listing = admin.get("/people?site=norte")
    assert "E1" in listing.text and "E2" not in listing.text
    person = admin.get("/people/person?code=E1")
    assert 'id="person-faces">3<' in person.text and 'id="person-sites">norte<' in person.text
    assert [s.employees for s in list_sites(central)[0]] == [1]


def test_html_and_sql_typed_into_fields_are_shown_escaped_and_stored_literally(
    admin: ConsoleClient, central: CentralDatabase
) -> None:
    script = "<script>alert('x')</script>"
    injection = "'); DROP TABLE employees; --"
    add_employee_centrally(central, "E9", injection)
    made = admin.submit("/people", "/people/sites", {"code": "sur", "name": script, "reason": ""})
    assert made.status == 303
    assert list_sites(central)[0][0].name == script  # stored as typed
    page = admin.get("/people")
    assert script not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    assert "&#39;); DROP TABLE employees; --" in page.text  # the table is there, the name literal
    # A search is a literal: neither SQL nor LIKE's wildcards.
    for typed, found in (("%' OR 1=1 --", 0), ("%", 0), ("_", 0), ("DROP TABLE", 1)):
        page = admin.get("/people?" + urlencode({"q": typed}))
        assert f"{found} employee{'' if found == 1 else 's'}<" in page.text, typed
    # A refused form keeps what was typed, escaped.
    bad = admin.submit("/people", "/people/sites", {"code": "<b>", "name": script, "reason": ""})
    assert bad.status == 400
    assert "&lt;b&gt;" in bad.text and "<b>" not in bad.text.split("<main", 1)[1].split("</h1>")[1]


def test_erasure_needs_a_reason_and_the_code_typed_again_and_is_audited(
    admin: ConsoleClient, central: CentralDatabase
) -> None:
    add_employee_centrally(central, "E1", "Ana Pérez", templates=2)
    form = {"code": "E1", "reason": "asked to be forgotten", "confirm": "E2"}
    refused = admin.submit("/people/person?code=E1", "/people/person/erase", form)
    assert refused.status == 400 and "type exactly the code E1" in refused.text
    assert 'value="asked to be forgotten"' in refused.text  # nothing typed is lost
    assert central_count(central, FACE_TEMPLATES) == 2
    done = admin.submit("/people/person?code=E1", "/people/person/erase", {**form, "confirm": "E1"})
    assert done.status == 303
    assert central_count(central, FACE_TEMPLATES) == 0
    assert "erased on" in admin.get(done.location).text
    with central.connect() as connection:
        row = connection.execute(
            select(AuditEntry.actor, AuditEntry.reason).where(
                AuditEntry.action == "employee.erase_biometrics"
            )
        ).one()
    assert tuple(row) == (f"user:{ADMIN}", "asked to be forgotten")


def test_the_fleet_page_lists_a_registered_kiosk_that_never_reported_as_needing_attention(
    admin: ConsoleClient, central: CentralDatabase
) -> None:
    from core.sync.roles import apply_role

    apply_role(central, "kiosk_puerta_norte", None, "puerta-norte")
    admin.language = "en"
    page = admin.get("/fleet")
    assert page.status == 200
    row = page.text[page.text.index('id="kiosk-puerta-norte"') :].split("</tr>", 1)[0]
    assert 'class="attention"' in row
    assert html.escape("never reported: not joined yet, or an older version", quote=True) in row
