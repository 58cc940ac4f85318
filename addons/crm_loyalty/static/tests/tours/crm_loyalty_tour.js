import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A loyalty manager opens Customer Care > Loyalty > Loyalty Programs.
registry.category("web_tour.tours").add("crm_loyalty_root_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
            content: "Open the Customer Care app",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='crm_loyalty.crm_loyalty_menu_root']",
            content: "Open the Loyalty menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='crm_loyalty.crm_loyalty_program_menu']",
            content: "Open the loyalty programs",
            run: "click",
        },
        {
            trigger: ".o_content:contains('Tour Loyalty Card')",
            content: "The manager sees the loyalty programs",
        },
    ],
});
