"""The user at the ``szca`` prompts: each answer is computed when the CLI reads the line
(an SMS code has arrived by then)."""

from __future__ import annotations

from collections.abc import Callable


class AnsweringStdin:
    """stdin whose next line is computed when read; empty once the answers run out."""

    def __init__(self, answers: list[Callable[[], str]]) -> None:
        self._answers = list(answers)

    def readline(self) -> str:
        return self._answers.pop(0)() + "\n" if self._answers else ""

    def isatty(self) -> bool:
        return False
