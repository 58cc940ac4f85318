"""The server's own permission to change guarded data.

A workflow's state (and its approver, dates, preparer) changes only in the
model's transition methods; append-only records (consents, histories, logs,
frozen figures) change only where the server itself decides so (a consent
superseded, personal data anonymised). Both need a flag that no client can
set: the context travels with every RPC call, so it cannot be that flag.
This module keeps it in a ``contextvars.ContextVar``, which lives in the
server's own call stack (per thread and request) and is reachable by no
RPC payload.

Usage, in a transition method::

    with self._ccare_transition():
        self.write({"state": "done", "done_date": fields.Datetime.now()})

``unlocked(key)`` opens the same door for any other key (e.g. the
anonymisation, which may erase personal data from append-only records).
"""

import contextlib
from contextvars import ContextVar

_UNLOCKED = ContextVar("ccare_unlocked", default=frozenset())

# the key that lets the anonymisation erase personal data in any guarded model
ANONYMISE = "ccare.anonymise"


@contextlib.contextmanager
def unlocked(*keys):
    """Allow the guarded changes named by ``keys`` inside the block."""
    token = _UNLOCKED.set(_UNLOCKED.get() | frozenset(keys))
    try:
        yield
    finally:
        _UNLOCKED.reset(token)


def is_unlocked(*keys):
    """True when one of ``keys`` was unlocked further up the call stack."""
    return bool(_UNLOCKED.get() & frozenset(keys))
