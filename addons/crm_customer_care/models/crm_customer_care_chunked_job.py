from odoo import api
from odoo import models
from odoo.addons.queue_job.job import identity_exact
from odoo.fields import Domain
from odoo.tools import SQL

DEFAULT_CHUNK_SIZE = 1000


class CrmCustomerCareChunkedJob(models.AbstractModel):
    """Split batch work into queue_job jobs of one chunk each.

    Every batch job of the three addons (segment assignment, lead rescoring,
    data-quality checks, call plans, tier reviews...) goes through this one
    helper so that they all behave the same way: one job per chunk of ids,
    an identity key per chunk (re-running the cron never queues a chunk that
    is already waiting), and set-based work inside each chunk.
    """

    _name = "crm.customer.care.chunked.job"
    _description = "Chunked Batch Jobs"

    @api.model
    def _split_in_chunks(self, ids, chunk_size=DEFAULT_CHUNK_SIZE):
        ids = sorted(set(ids))
        return [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]

    @api.model
    def _enqueue_chunks(
        self, records, method_name, chunk_size=DEFAULT_CHUNK_SIZE, description=None, **kwargs
    ):
        """Queue ``records.<method_name>(**kwargs)`` as one job per chunk.

        Returns the number of chunks handed to queue_job.
        """
        chunks = self._split_in_chunks(records.ids, chunk_size)
        for chunk in chunks:
            delayed = records.browse(chunk).with_delay(
                identity_key=identity_exact,
                description=description,
            )
            getattr(delayed, method_name)(**kwargs)
        return len(chunks)

    @api.model
    def _match_domains(self, model_name, domains, ids):
        """Which of ``ids`` match each domain: ``{key: set of ids}`` for
        ``domains = {key: Domain}``, in one query (as superuser, archived
        records included): each domain becomes a boolean column of a single
        SELECT over the ids. A domain needing a join (rare: Odoo turns most
        paths into subqueries) is searched on its own."""
        Model = self.env[model_name].sudo().with_context(active_test=False)
        table = Model._table
        matched, columns = {}, []
        for key, domain in domains.items():
            query = Model._search(domain)
            if query._joins:
                matched[key] = set(Model.search(Domain.AND([domain, [("id", "in", ids)]])).ids)
            elif query.is_empty():
                matched[key] = set()
            else:
                where = query.where_clause if query._where_clauses else SQL("TRUE")
                columns.append((key, SQL("coalesce((%s), false)", where)))
        if columns and ids:
            rows = self.env.execute_query(
                SQL(
                    "SELECT %s, ARRAY[%s] FROM %s WHERE %s = ANY(%s)",
                    SQL.identifier(table, "id"),
                    SQL(", ").join(column for _key, column in columns),
                    SQL.identifier(table),
                    SQL.identifier(table, "id"),
                    list(ids),
                )
            )
            for position, (key, _column) in enumerate(columns):
                matched[key] = {record_id for record_id, hits in rows if hits[position]}
        return matched
