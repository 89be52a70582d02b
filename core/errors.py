"""One error family for everything the desk refuses to do.

Every error names the thing at fault (``subject``: a file, a mandate term, a
command-line option, a CSV row) and the reason, because the CLI prints
``error: <subject>: <reason>`` on one line and the UI shows the same text: a
user must know what to fix without reading a traceback. Catch ``DeskError``
to handle them all; the branches say whose fault it is::

    DeskError                 anything the desk refuses, with a subject and a reason
    ├── BadInputError         input from a user or a file: unreadable, malformed, out of range
    │   ├── MandateError      a mandate that does not validate (subject: the term or field)
    │   └── DealsTableError   a deals-table row or field that does not validate
    ├── WorkspaceError        the workspace itself: missing, locked, damaged or inconsistent
    └── NotAvailableError     a capability this version of the desk does not provide yet

Only ``BadInputError`` and its children are the user's to fix by changing
what they gave; a ``WorkspaceError`` is fixed in the workspace folder, and a
``NotAvailableError`` by waiting for the feature.
"""

from __future__ import annotations


class DeskError(Exception):
    """Base error: ``subject`` is the file, term or field at fault, ``reason`` says why."""

    def __init__(self, subject: object, reason: str):
        self.subject = str(subject)
        self.reason = reason
        super().__init__(f"{self.subject}: {reason}")


class BadInputError(DeskError):
    """Input the desk cannot use: a corrupt, encrypted, empty or unsupported file, a bad option value."""


class MandateError(BadInputError):
    """A mandate that does not validate; ``subject`` names the term (or the file)."""


class DealsTableError(BadInputError):
    """A deals-table row or field that does not validate."""


class WorkspaceError(DeskError):
    """The workspace itself is missing, locked, damaged or inconsistent."""


class NotAvailableError(DeskError):
    """A capability that this version of the desk does not provide yet."""

    def __init__(self, command: str):
        super().__init__("not available yet", command)
        self.command = command

    def __str__(self) -> str:  # "not available yet: <command>"
        return f"not available yet: {self.command}"
