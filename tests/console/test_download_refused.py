"""A report download that cannot be made (a date that is no date, a reversed period, an
unknown format) answers with the console's own attendance page: the reason in the visitor's
language, the form as it was filled in, a 400, and no file."""

from __future__ import annotations

import html

import pytest

from tests.console.client import ConsoleClient

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    ("language", "query", "says"),
    [
        ("es", "from=2026-02-30&to=2026-03-01", "'2026-02-30' no es una fecha; use AAAA-MM-DD."),
        ("en", "from=2026-02-30&to=2026-03-01", "'2026-02-30' is not a date; use YYYY-MM-DD."),
        (
            "es",
            "from=2026-03-10&to=2026-03-01",
            "El día «Hasta» (2026-03-01) es anterior al día «Desde» (2026-03-10).",
        ),
        ("en", "from=2026-03-01&to=2026-03-10&format=pdf", "There is no such format or sheet"),
    ],
)
def test_a_refused_download_is_the_attendance_page_with_the_reason_and_the_form(
    admin: ConsoleClient, language: str, query: str, says: str
) -> None:
    admin.language = language
    answer = admin.get(f"/attendance/download?{query}&site=norte&sheet=days")
    assert answer.status == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert "content-disposition" not in answer.headers
    page = html.unescape(answer.text)
    assert says in page.split('id="error"', 1)[1].split("</p>", 1)[0]
    form = page.split('id="period-form"', 1)[1].split("</form>", 1)[0]
    start = query.split("&", maxsplit=1)[0].removeprefix("from=")
    assert f'value="{start}"' in form and 'value="norte"' in form and 'value="days"' in form
    assert 'id="nav-attendance"' in page  # the console's page, with its navigation
