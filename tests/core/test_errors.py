"""The error family: one line ``subject: reason``, and a hierarchy that says whose fault it is."""

import pytest

from core.errors import BadInputError, DealsTableError, DeskError, MandateError, NotAvailableError, WorkspaceError


def test_every_error_is_one_line_naming_its_subject():
    err = BadInputError("contract.pdf", "file is encrypted")
    assert str(err) == "contract.pdf: file is encrypted" and err.subject == "contract.pdf" and err.reason == "file is encrypted"
    assert str(NotAvailableError("scenarios")) == "not available yet: scenarios"


@pytest.mark.parametrize(
    ("error", "parents"),
    [
        (MandateError("term 'fee'", "walk_away above preferred"), (BadInputError, DeskError)),
        (DealsTableError("deal D01", "bad currency"), (BadInputError, DeskError)),
        (WorkspaceError("/ws", "locked"), (DeskError,)),
        (NotAvailableError("brief"), (DeskError,)),
    ],
)
def test_the_hierarchy_in_the_docstring_holds(error, parents):
    assert all(isinstance(error, p) for p in parents)
    assert not isinstance(error, BadInputError) or type(error) in (MandateError, DealsTableError)


def test_the_docstring_draws_every_error_class():
    import core.errors as module

    classes = [name for name, obj in vars(module).items() if isinstance(obj, type) and issubclass(obj, DeskError)]
    assert all(name in module.__doc__ for name in classes), classes
