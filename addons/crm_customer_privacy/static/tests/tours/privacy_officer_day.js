import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// privacy.officer: answers Joel Willis's subject-access request with the
// export of everything held on him, then finds the export in the sensitive
// data access log.
registry.category("web_tour.tours").add("privacy_officer_day_subject_access", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
            content: "Open the Customer Care app",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='crm_customer_care.crm_customer_care_menu_privacy']",
            content: "Open the Privacy menu",
            run: "click",
        },
        {
            trigger: ".dropdown-menu:has(.dropdown-item[data-menu-xmlid='crm_customer_sensitive_data.crm_customer_sensitive_access_menu']):has(.dropdown-item[data-menu-xmlid='crm_customer_privacy.crm_customer_anonymisation_menu']) .dropdown-item[data-menu-xmlid='crm_customer_privacy.crm_customer_subject_access_menu']",
            content: "The officer's menus: access log, anonymisation log, subject access",
            run: "click",
        },
        {
            trigger: ".modal .o_form_view:not(:has(.o_field_widget[name=zip_file] a))",
            content: "A new subject-access request, nothing exported yet",
        },
        {
            trigger: ".modal .o_field_widget[name=partner_id] input",
            content: "Who asked",
            run: "edit Joel Willis",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:not(:contains('Create')):contains('Joel Willis')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=partner_id] input:value(Joel Willis)",
            content: "The person is chosen",
        },
        {
            trigger: ".modal .modal-footer button[name=action_export]",
            content: "Prepare the export",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=zip_file]:contains('subject_access_'):contains('Joel_Willis')",
            content: "The export is ready to download",
        },
        {
            trigger: ".modal .modal-header .modal-title:contains('Subject-Access Request')",
            content: "The dialog keeps its title after the export (not 'Odoo')",
        },
        {
            trigger: ".modal .o_field_widget[name=summary]:contains(':')",
            content: "with what it holds, section by section",
        },
        {
            trigger: ".modal .modal-footer:not(:has(button[name=action_export]))",
            content: "It is prepared once",
        },
        {
            trigger: ".modal .o_field_widget[name=partner_id]:not(:has(input))",
            content: "The person of an export cannot be changed",
        },
        {
            trigger: ".modal .modal-footer button.btn-secondary",
            content: "Close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
            content: "The dialog is closed",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='crm_customer_care.crm_customer_care_menu_privacy']",
            content: "Open the Privacy menu again",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='crm_customer_sensitive_data.crm_customer_sensitive_access_menu']",
            content: "Open the sensitive data access log",
            run: "click",
        },
        {
            trigger: ".o_list_renderer .o_data_row:first:contains('Subject-access export'):contains('Joel Willis')",
            content: "The export is logged, first of the log",
        },
    ],
});
