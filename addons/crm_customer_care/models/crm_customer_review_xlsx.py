from odoo import models

SKIPPED_FIELDS = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}


class CrmCustomerReviewXlsx(models.AbstractModel):
    """A customer review as a workbook: one sheet per review with its frozen
    figures, findings and recommended actions (OCA report_xlsx)."""

    _name = "report.crm_customer_care.customer_review_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Customer Review XLSX"

    def generate_xlsx_report(self, workbook, data, objs):
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        number = workbook.add_format({"num_format": "#,##0.00"})
        sections = dict(
            self.env["crm.customer.review.line"]._fields["section"]._description_selection(self.env)
        )
        for review in objs:
            sheet = workbook.add_worksheet(review.name[:31])
            sheet.set_column(0, 0, 22)
            sheet.set_column(1, 1, 48)
            sheet.set_column(2, 4, 16)
            sheet.write(0, 0, review.name, title)
            sheet.write(1, 0, self.env._("Period"), bold)
            sheet.write(1, 1, f"{review.date_from} - {review.date_to}")
            sheet.write(2, 0, self.env._("Status"), bold)
            sheet.write(
                2, 1, dict(review._fields["state"]._description_selection(self.env))[review.state]
            )
            row = 4
            headers = [
                self.env._("Section"),
                self.env._("Figure"),
                self.env._("Value"),
                self.env._("Previous Period"),
                self.env._("Change (%)"),
            ]
            for col, header in enumerate(headers):
                sheet.write(row, col, header, bold)
            for line in review.line_ids.sorted("sequence"):
                row += 1
                sheet.write(row, 0, sections.get(line.section, line.section))
                sheet.write(row, 1, line.name)
                sheet.write_number(row, 2, line.value, number)
                if line.has_previous:
                    sheet.write_number(row, 3, line.previous_value, number)
                    sheet.write_number(row, 4, line.change_percent, number)
            for label, html in (
                (self.env._("Findings"), review.findings),
                (self.env._("Recommended Actions"), review.recommended_actions),
            ):
                row += 2
                sheet.write(row, 0, label, bold)
                sheet.write(row, 1, self._text(html))

    @staticmethod
    def _text(html):
        from lxml import html as lxml_html  # noqa: PLC0415

        return lxml_html.fromstring(str(html)).text_content().strip() if html else ""


class CrmCustomerCareAnalysisXlsx(models.AbstractModel):
    """Any analysis (sales cycle, leads, activity, segments) as a workbook:
    the selected rows with every field of the analysis, one read for all."""

    _name = "report.crm_customer_care.analysis_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Customer Care Analysis XLSX"

    def generate_xlsx_report(self, workbook, data, objs):
        bold = workbook.add_format({"bold": True})
        number = workbook.add_format({"num_format": "#,##0.00"})
        stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        names = [
            name
            for name, field in objs._fields.items()
            if name not in SKIPPED_FIELDS
            and field.store is not False
            and field.type not in ("one2many", "many2many", "html", "binary", "json")
            # money figures stay with the managers: columns the user may
            # not read are left out (the read below would refuse them)
            and objs._has_field_access(field, "read")
        ]
        sheet = workbook.add_worksheet(objs._description[:31])
        for col, name in enumerate(names):
            sheet.write(0, col, objs._fields[name].get_description(self.env)["string"], bold)
            sheet.set_column(col, col, 18)
        selections = {
            name: dict(objs._fields[name]._description_selection(self.env))
            for name in names
            if objs._fields[name].type == "selection"
        }
        for row, values in enumerate(objs.read(names), start=1):
            for col, name in enumerate(names):
                value = values[name]
                field_type = objs._fields[name].type
                if value is False or value is None:
                    continue
                if field_type == "many2one":
                    sheet.write(row, col, value[1])
                elif field_type == "selection":
                    sheet.write(row, col, selections[name].get(value, value))
                elif field_type in ("float", "monetary", "integer"):
                    sheet.write_number(row, col, value, number)
                elif field_type == "datetime":
                    sheet.write_datetime(row, col, value, stamp)
                elif field_type == "boolean":
                    sheet.write(row, col, "✔" if value else "")
                else:
                    sheet.write(row, col, str(value))
