from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestChunkedJob(TransactionCase):
    def test_split_in_chunks(self):
        helper = self.env["crm.customer.care.chunked.job"]
        self.assertEqual(helper._split_in_chunks([5, 1, 3, 3, 2], chunk_size=2), [[1, 2], [3, 5]])
        self.assertEqual(helper._split_in_chunks([], chunk_size=2), [])

    def test_one_job_per_chunk_and_never_twice(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Chunk partner {i}"} for i in range(5)]
        )
        helper = self.env["crm.customer.care.chunked.job"]
        with trap_jobs() as trap:
            self.assertEqual(helper._enqueue_chunks(partners, "write", 2, vals={"comment": "x"}), 3)
            trap.assert_jobs_count(3)
        # with real storage, the identity key refuses a second copy of a chunk
        # that is still waiting
        jobs_before = self.env["queue.job"].search_count([])
        helper._enqueue_chunks(partners, "write", 2, vals={"comment": "x"})
        helper._enqueue_chunks(partners, "write", 2, vals={"comment": "x"})
        self.assertEqual(self.env["queue.job"].search_count([]) - jobs_before, 3)
