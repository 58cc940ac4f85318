import { registry } from "@web/core/registry";

// A care manager opens the Dashboards app and the Customer Care dashboard:
// its charts render.
registry.category("web_tour.tours").add("crm_customer_care_dashboard_tour", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            trigger: ".o_search_panel_category_value[data-name='Customer Care']",
            content: "Open the Customer Care dashboard",
            run: "click",
        },
        {
            trigger: ".o_search_panel_category_value.active[data-name='Customer Care']",
            content: "It is the one shown",
        },
        {
            trigger: ".o-figure canvas",
            content: "Its charts are drawn",
        },
    ],
});
