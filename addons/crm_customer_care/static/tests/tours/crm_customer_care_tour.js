import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A care user logs in, opens Customer Care and lands on the customers' kanban.
registry.category("web_tour.tours").add("crm_customer_care_root_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
            content: "Open the Customer Care app",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb:contains('Customers')",
            content: "The root view is the customers' list",
        },
        {
            trigger: ".o_kanban_renderer .o_kanban_record",
            content: "Customers are shown as cards",
        },
    ],
});
