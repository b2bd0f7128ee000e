"""Errors of the store and of record import: located, for one clean line each."""

from __future__ import annotations


class StoreError(Exception):
    """A user's mistake or bad input: printed as one located line, exit status 2; nothing stored."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class RecordRefused(StoreError):
    """An input record with one or more problems; ``problems`` are located lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing stored")
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(self.problems + [f"refused: {self.message}"])
