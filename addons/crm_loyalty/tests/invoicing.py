from .test_ledger import LedgerCommon


class InvoicedOrderCommon(LedgerCommon):
    """Orders confirmed and invoiced, and their credit notes."""

    def _invoiced_order(self, qty=2):
        """An order of ``qty`` cold rooms at 500 (100 points), confirmed and
        invoiced."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": qty})],
            }
        )
        order._update_programs_and_rewards()
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        return order, invoice

    def _credit_note(self, invoice, qty=None):
        refund = invoice._reverse_moves([{"invoice_date": invoice.invoice_date}])
        if qty is not None:
            refund.invoice_line_ids.filtered("sale_line_ids").write({"quantity": qty})
        refund.action_post()
        return refund
