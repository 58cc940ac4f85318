from odoo import api, models
from odoo.addons.queue_job.job import identity_exact

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
