"""Small helpers shared by the command modules."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Protocol

from core.context import AppContext
from core.errors import UsageError
from core.i18n import Message, say, text

Handler = Callable[[AppContext, argparse.Namespace], int]


class SubParsers(Protocol):
    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None


def read_secret(value: str | None, prompt: str | Message) -> str | None:
    """``-`` means: ask (hidden) on a terminal, or read one line from standard input.

    Secrets on the command line end up in shell history and process lists; ``-`` avoids that.
    """
    if value != "-":
        return value
    if sys.stdin.isatty():
        return getpass.getpass(say(prompt))
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        what = say(prompt).strip(": ").lower()
        raise UsageError(Message("cli.expected_on_stdin", what=what))
    return line


def ask(question: str, *, flag: str) -> str:
    """The answer typed on the terminal to ``question``. Without a terminal (a script, a
    pipe, cron) nobody is there to answer: ``UsageError`` naming the ``flag`` that confirms
    without asking, never an answer read from whatever standard input holds."""
    if not sys.stdin.isatty():
        raise UsageError(Message("cli.no_terminal", flag=flag))
    return input(question)


def column_headers(*columns: str) -> list[str]:
    """A table's headers in the command's language: the report's words (``col.code`` →
    "Código" / "Code"), so a table and the spreadsheet name a column alike."""
    return [text(f"col.{column}") for column in columns]


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers]] + [
        ["" if c is None else str(c) for c in row] for row in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        if index == 0:
            print("  ".join("-" * width for width in widths))
