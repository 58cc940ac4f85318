from odoo import models

SKIPPED_FIELDS = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}


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
