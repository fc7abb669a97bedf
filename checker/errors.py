"""Errors a user acts on: each names the file and says what is wrong and what to do."""
from __future__ import annotations


class CheckerError(Exception):
    """Base class; ``str(err)`` is a one-line message fit for a report."""


class InputError(CheckerError):
    """An input file that cannot be read (missing, wrong type, corrupt, encrypted, no text…)."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class RuleFileError(CheckerError):
    """A rule file that does not load or validate; names the file and the key."""

    def __init__(self, path: str, key: str, problem: str):
        self.path = path
        self.key = key
        self.problem = problem
        where = f"{path}: {key}: " if key else f"{path}: "
        super().__init__(where + problem)


class ConfigError(CheckerError):
    """A configuration file or option that is not valid."""
