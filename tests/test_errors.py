import pickle

import pytest

from recoverykit import InvalidEvent, InvalidTransition, RecoveryKitError, ValidationError
from recoverykit.errors import LifecycleDefinitionError

ERRORS = [
    ValidationError("Money.currency", "'EURO' is not an ISO 4217 code"),
    InvalidTransition("received", "event", ["Acknowledged"], ["responded"], index=3),
    InvalidEvent("event", "remedy 'R-9' was never offered", index=2),
    LifecycleDefinitionError(["a", "b"]),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_every_error_is_a_recoverykit_error_and_a_value_error(error):
    assert isinstance(error, RecoveryKitError)
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_errors_survive_pickling(error):
    # Errors cross process boundaries when portfolios are mapped on Dask or Spark.
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)


def test_at_index_keeps_the_facts():
    err = InvalidEvent("e", "why").at_index(7)
    assert (err.index, err.reason, str(err)) == (7, "why", "event 7 (str): why")
    t = InvalidTransition("s", "e", ["A"], ["x"]).at_index(1)
    assert (t.index, t.allowed, t.sources) == (1, ("A",), ("x",))


def test_transition_error_without_any_allowed_event():
    err = InvalidTransition("limbo", "e", [])
    assert str(err) == "str is not allowed in state 'limbo'; events allowed in 'limbo': none"
