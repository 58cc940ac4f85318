from odoo import api
from odoo import models

PENDING_KEY = "crm_customer_care.deferred"


class CrmCustomerCareDeferred(models.AbstractModel):
    """Work our ``create``/``write`` overrides leave for the end of the
    transaction, so they cost nothing on Odoo's hot paths.

    An override only notes which records a step must look at
    (:meth:`_defer`, no query). Every step then runs once over all of them,
    set-based, in a precommit hook, the way Odoo's own mail tracking works:
    a batch of 10 or 10,000 records, or 10,000 one-record writes in a cron,
    cost the same few queries. A step also runs earlier when something reads
    what it writes (``_fetch_query``/``flush_model`` hooks of the models
    concerned call :meth:`_flush_pending`), so a reader in the same
    transaction never sees a stale value.

    Like mail tracking, a step sees each record's state at the end of the
    transaction: a lead moved A -> B -> C in one transaction is recorded
    as A -> C.

    Steps run in the order of ``_ccare_steps()``: the customers' segments
    first (other addons' steps, such as lead qualification and the stage
    record, read a lead's customer segment), then the contact dates. Other
    addons add theirs by extending ``_ccare_steps`` with ``super()``, so that
    no extender drops another's; a step that copies what these write (a
    lead's customer segment) appends itself after them.
    """

    _name = "crm.customer.care.deferred"
    _description = "Customer Care deferred work"

    @api.model
    def _ccare_steps(self):
        """``[(model, method)]`` in the order they run; extend with super()."""
        return [
            ("res.partner", "_ccare_deferred_segments"),
            ("crm.lead", "_ccare_deferred_lead_contact_dates"),
            ("res.partner", "_ccare_deferred_contact_dates"),
        ]

    @api.model
    def _defer(self, method, records):
        """Run ``records.method({id: uid})`` at the end of the transaction
        (``uid``: the last user who touched the record). No query."""
        ids = [record_id for record_id in records._ids if isinstance(record_id, int)]
        if not ids:
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.get(PENDING_KEY)
        if pending is None:
            pending = precommit.data[PENDING_KEY] = {}
            precommit.add(self._run_pending)
        by_id = pending.setdefault(method, {})
        by_id.update(dict.fromkeys(ids, self.env.uid))

    @api.model
    def _undefer(self, method, records):
        """Forget ``records`` for ``method`` (their value was just set by hand)."""
        by_id = self.env.cr.precommit.data.get(PENDING_KEY, {}).get(method)
        for record_id in records._ids if by_id else ():
            by_id.pop(record_id, None)

    @api.model
    def _is_pending(self, method):
        return bool(self.env.cr.precommit.data.get(PENDING_KEY, {}).get(method))

    @api.model
    def _run_pending(self):
        """The precommit hook: every step, in order. Work a step defers in
        turn registers the hook again, and Odoo's cursor runs it."""
        pending = self.env.cr.precommit.data.pop(PENDING_KEY, None)
        if pending:
            self._run_steps(pending)

    @api.model
    def _flush_pending(self, methods=None):
        """Run the pending ``methods`` (all by default) now: called before
        something reads what they write."""
        pending = self.env.cr.precommit.data.get(PENDING_KEY)
        if pending:
            self._run_steps(pending, methods)

    @api.model
    def _run_steps(self, pending, methods=None):
        for model_name, method in self._ccare_steps():
            if methods is not None and method not in methods:
                continue
            by_id = pending.pop(method, None)
            if by_id:
                # the work must not depend on who triggered it nor on the
                # context of the first write of the transaction
                records = self.env[model_name].sudo().with_context({})  # pylint: disable=context-overridden  # meant: an empty context
                getattr(records, method)(by_id)
