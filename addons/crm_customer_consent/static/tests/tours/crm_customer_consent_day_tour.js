import { registry } from "@web/core/registry";

const POST = "tr[data-purpose=marketing][data-channel=post]";

// portal member: opens Privacy and consent from their portal and refuses
// marketing by post, which they were never asked about.
registry.category("web_tour.tours").add("member_day_refuse_purpose", {
    url: "/my",
    steps: () => [
        {
            trigger: "a[href='/my/privacy']",
            content: "Open Privacy and consent",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "table.o_ccare_privacy tbody tr",
            content: "Six choices: marketing by e-mail, SMS and post, sales calls and visits, profiling",
            run() {
                const rows = document.querySelectorAll("table.o_ccare_privacy tbody tr");
                if (rows.length !== 6) {
                    throw new Error(`expected 6 choices, got ${rows.length}`);
                }
            },
        },
        {
            trigger: `${POST}:contains('Not asked yet'):has(.o_ccare_grant):has(.o_ccare_refuse)`,
            content: "Marketing by post was never asked: it can be allowed or refused",
        },
        {
            trigger: `${POST} .o_ccare_refuse`,
            content: "Refuse marketing by post",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_ccare_privacy_saved",
            content: "The choice is recorded",
        },
        {
            trigger: `${POST}:contains('Not allowed'):has(.o_ccare_grant):not(:has(.o_ccare_refuse))`,
            content: "Marketing by post is not allowed; it can be allowed again later",
        },
        {
            trigger: "table.o_ccare_privacy tbody tr",
            content: "The other choices are still there",
            run() {
                const rows = document.querySelectorAll("table.o_ccare_privacy tbody tr");
                if (rows.length !== 6) {
                    throw new Error(`expected 6 choices, got ${rows.length}`);
                }
            },
        },
    ],
});
