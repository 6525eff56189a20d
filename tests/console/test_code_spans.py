"""A command the console's words name (`main.py central add-admin`) shows as code, not
between backticks, and whatever else is in the sentence stays escaped."""

from __future__ import annotations

import pytest

from console.web import code_spans
from tests.console.client import ConsoleClient


def test_a_code_span_becomes_code_and_the_rest_stays_escaped() -> None:
    assert str(code_spans("run `main.py x <y>` for <b>")) == (
        "run <code>main.py x &lt;y&gt;</code> for &lt;b&gt;"
    )
    assert str(code_spans("a lone ` stays <i>")) == "a lone ` stays &lt;i&gt;"


@pytest.mark.postgres
@pytest.mark.parametrize("language", ["es", "en"])
def test_the_sign_in_hint_shows_the_command_as_code(client: ConsoleClient, language: str) -> None:
    client.language = language
    page = client.get("/signin").text
    hint = page.split('class="hint">', 1)[1].split("</p>", 1)[0]
    assert "<code>main.py central add-admin</code>" in hint and "`" not in hint
