import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A manager reads the qualification rules, then a qualified lead and why it
// got its grade.
registry.category("web_tour.tours").add("crm_lead_qualification_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
            content: "Open the Customer Care app",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='crm_customer_care.crm_customer_care_menu_config']",
            content: "Open Configuration",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='crm_lead_qualification.crm_lead_qualification_ruleset_menu']",
            content: "Open the qualification rules",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_data_cell:contains('Tour rules')",
            content: "Open the tour's rule set",
            run: "click",
        },
        {
            trigger: ".o_field_one2many[name=criterion_ids] .o_data_row:contains('Budget over 10k')",
            content: "The weighted criteria are listed",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='crm_customer_care.crm_customer_care_menu_leads']",
            content: "Open Leads",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='crm_lead_qualification.crm_lead_menu_qualified']",
            content: "Open the qualified leads",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('Tour hot lead') .o_data_cell[name=qualification_grade_id]:contains('A')",
            content: "The hot lead is graded A",
            run: "click",
        },
        {
            trigger: ".o_notebook a[name=ccare_qualification], .o_notebook .nav-link:contains('Qualification')",
            content: "Open the Qualification tab",
            run: "click",
        },
        {
            trigger: ".o_ccare_qualification:contains('Budget over 10k'):contains('+50')",
            content: "The lead shows why: the criteria it met and their points",
        },
    ],
});
