"""One error family for everything the desk refuses to do.

Every message names the thing at fault (a file, a mandate term, a CSV row) and
the reason, because the CLI prints ``error: <subject>: <reason>`` on one line and
the UI shows the same text: a user must know what to fix without a traceback.
"""

from __future__ import annotations


class DeskError(Exception):
    """Base error: ``subject`` is the file, term or field at fault."""

    def __init__(self, subject: object, reason: str):
        self.subject = str(subject)
        self.reason = reason
        super().__init__(f"{self.subject}: {reason}")


class BadInputError(DeskError):
    """A file the desk cannot read: corrupt, encrypted, empty, unsupported..."""


class MandateError(DeskError):
    """A mandate that does not validate; ``subject`` names the term."""


class DealsTableError(DeskError):
    """A deals table row or field that does not validate."""


class NotAvailableError(DeskError):
    """A capability that this version of the desk does not provide."""

    def __init__(self, command: str):
        super().__init__("not available yet", command)
        self.command = command

    def __str__(self) -> str:  # "not available yet: <command>"
        return f"not available yet: {self.command}"


class WorkspaceError(DeskError):
    """The workspace itself is missing, locked or inconsistent."""
