"""Who changes a loyalty balance, and what the points lots learn of it.

A card's ``points`` (Odoo's balance) is always the sum of the remaining
points of its open lots (``crm.loyalty.points.lot``). ``loyalty.card``'s
``create``/``write`` keep that true whatever path changes a balance: an
increase becomes a lot, a decrease consumes the oldest lots.

Two server-side flags, neither of them a context key (the client writes the
context):

- ``unlocked(BALANCE)`` (``ccare_guard``): the block is a server flow that
  may change balances and write ``loyalty.history`` (sale_loyalty's order
  confirmation and cancellation, reward lines, our award/redeem/expire/
  refund, the *Update Balance* wizard once its user's right is checked).
  Outside such a flow only the superuser and Loyalty Managers may.
- ``ledger_entry(...)``: what the lots created in the block are (source,
  description), and whether the caller keeps the lots itself (our own
  set-based paths: ``lots=False``) or leaves it to the card's hook.
"""

import contextlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import NamedTuple

from odoo.addons.crm_customer_care.models.ccare_guard import unlocked

# a server flow may change balances and loyalty.history
BALANCE = "crm_loyalty.balance"
# the suspension transitions may change a card's suspension fields
SUSPEND = "crm_loyalty.suspend"


class LedgerEntry(NamedTuple):
    source: str
    description: str | None
    lots: bool  # False: the caller creates and consumes the lots itself
    # optional callable -> {card_id: (points earned, points spent)}: a net
    # change that matches is booked as both (a sale that spends 50 and earns
    # 100 consumes 50 from the oldest lots and opens a lot of 100)
    split: Callable[[], dict] | None
    # the journal (crm.loyalty.posting): its event and source document;
    # journal=False: the caller posts (keyed) itself
    event: str
    origin: tuple | None  # (model, id)
    journal: bool


_ENTRY = ContextVar("crm_loyalty_ledger_entry", default=None)


@contextlib.contextmanager
def ledger_entry(
    source, description=None, lots=True, split=None, event="adjust", origin=None, journal=True
):
    """Balance changes in the block are the server's, from ``source``."""
    token = _ENTRY.set(LedgerEntry(source, description, lots, split, event, origin, journal))
    try:
        with unlocked(BALANCE):
            yield
    finally:
        _ENTRY.reset(token)


def current_entry():
    """The innermost ``ledger_entry`` of the call stack, or None."""
    return _ENTRY.get()
