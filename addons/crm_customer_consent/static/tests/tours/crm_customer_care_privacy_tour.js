import { registry } from "@web/core/registry";

// A portal customer withdraws their marketing e-mail consent.
registry.category("web_tour.tours").add("crm_customer_care_privacy_tour", {
    url: "/my/privacy",
    steps: () => [
        {
            trigger: "tr[data-purpose=marketing][data-channel=email]:contains('Allowed') .o_ccare_withdraw",
            content: "Withdraw marketing by e-mail",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_ccare_privacy_saved",
            content: "The choice is recorded",
        },
        {
            trigger: "tr[data-purpose=marketing][data-channel=email]:contains('Not allowed')",
            content: "Marketing by e-mail is no longer allowed",
        },
    ],
});
