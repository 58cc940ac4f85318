import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A caller opens Customer Care > Call Plans > Call Policies.
registry.category("web_tour.tours").add("crm_callplan_root_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
            content: "Open the Customer Care app",
            run: "click",
        },
        {
            trigger: ".o_menu_sections button[data-menu-xmlid='crm_callplan.crm_callplan_menu_root'], .o_menu_sections [data-menu-xmlid='crm_callplan.crm_callplan_menu_root']",
            content: "Open the Call Plans menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='crm_callplan.crm_call_policy_menu']",
            content: "Open the call policies",
            run: "click",
        },
        {
            trigger: ".o_list_renderer .o_data_row:contains('Tour policy')",
            content: "The caller sees the call policies",
        },
    ],
});
