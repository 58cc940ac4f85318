"""Run Odoo's and OCA's own test suites on a database where our addons are
installed, with the *whole* registry loaded, and compare the outcome with
setup/known_upstream_failures.txt.

Why not plain ``odoo-bin --test-tags /crm`` on that database: Odoo runs a
module's ``at_install`` tests while it loads that module, with only the
modules below it in the registry, so crm's query-count guards would run
without our overrides and prove nothing. This runner starts ``odoo-bin``
unchanged except that every selected test, ``at_install`` or
``post_install``, runs in the post-install phase (all addons loaded, HTTP
server up for the tours). The same runner on a database *without* our
addons is how the list of vanilla failures is verified.

Usage (setup/test calls it)::

    python setup/upstream_tests.py --known setup/known_upstream_failures.txt \
        --report out.json -- <odoo-bin server options, incl. --test-tags>

Test ids are ``module:Class.method`` (``module:Class`` when a class setup
fails), the form ``--test-tags`` accepts after a slash. Exit status: 0 when
exactly the listed tests fail, 1 otherwise. The last line reads
``upstream: N passed, N failed, N known failures``.
"""

import json
import re
import sys
from pathlib import Path


def test_id(test):
    """``module:Class.method`` of a test case, sub-test or class-setup error."""
    from unittest import case  # noqa: PLC0415

    # sub-tests (Odoo's own _SubTest class too) count for their test
    while getattr(test, "test_case", None) is not None:
        test = test.test_case
    if isinstance(test, case.TestCase):
        module = test.__class__.__module__
        name = f"{test.__class__.__qualname__}.{test._testMethodName}"
    else:  # _ErrorHolder: "setUpClass (odoo.addons.crm.tests.test_x.TestX)"
        match = re.search(r"\(([\w.]+)\.(\w+)\)", str(test))
        if not match:
            return str(test)
        module, name = match.groups()
    parts = module.split(".")
    addon = parts[2] if len(parts) > 2 and parts[:2] == ["odoo", "addons"] else module
    return f"{addon}:{name}"


def read_known(path):
    """``{test id: reason}`` from the list (``id  # reason`` per line)."""
    known = {}
    for line in Path(path).read_text().splitlines():
        entry, _, reason = line.partition("#")
        if entry.strip():
            known[entry.strip()] = reason.strip()
    return known


def patch_odoo(outcome):
    from odoo.tests import loader  # noqa: PLC0415
    from odoo.tests import result  # noqa: PLC0415
    from odoo.tests.suite import OdooSuite  # noqa: PLC0415

    make_suite = loader.make_suite

    def make_suite_post_install(module_names, position="at_install"):
        if position == "at_install":
            return make_suite([], position)
        tests = [*make_suite(module_names, "at_install"), *make_suite(module_names, "post_install")]
        return OdooSuite(tests)

    loader.make_suite = make_suite_post_install

    Result = result.OdooTestResult
    start_test, log_error, add_skip = Result.startTest, Result.logError, Result.addSkip

    def startTest(self, test):
        outcome["ran"].append(test_id(test))
        return start_test(self, test)

    def logError(self, flavour, test, error):
        outcome["failed"].append(test_id(test))
        return log_error(self, flavour, test, error)

    def addSkip(self, test, reason):
        outcome["skipped"].append(test_id(test))
        return add_skip(self, test, reason)

    Result.startTest, Result.logError, Result.addSkip = startTest, logError, addSkip


def verdict(outcome, known):
    failed = set(outcome["failed"])
    ran = set(outcome["ran"]) | failed
    skipped = set(outcome["skipped"]) - failed

    def is_known(tid):
        # a class-level entry covers every test of the class
        return tid in known or tid.rsplit(".", 1)[0] in known

    unexpected = sorted(tid for tid in failed if not is_known(tid))
    known_failed = sorted(tid for tid in failed if is_known(tid))
    # a listed test that ran and did not fail: the list is out of date
    fixed = sorted(
        tid
        for tid in known
        if tid not in failed
        and (tid in ran - skipped or any(f.startswith(tid + ".") for f in ran - skipped))
        and not any(f.startswith(tid + ".") for f in failed)
    )
    passed = len(ran - failed - skipped)
    return passed, unexpected, known_failed, fixed


def main(argv):
    args = argv[1:]
    split = args.index("--")
    opts, odoo_args = args[:split], args[split + 1 :]
    known_path = opts[opts.index("--known") + 1]
    report_path = opts[opts.index("--report") + 1] if "--report" in opts else None
    known = read_known(known_path)

    outcome = {"ran": [], "failed": [], "skipped": []}
    patch_odoo(outcome)
    import odoo.cli  # noqa: PLC0415

    sys.argv = ["odoo-bin", "server", *odoo_args]
    odoo_rc = 0
    try:
        odoo.cli.main()
    except SystemExit as stop:
        odoo_rc = stop.code or 0
    passed, unexpected, known_failed, fixed = verdict(outcome, known)
    if report_path:
        Path(report_path).write_text(
            json.dumps(
                {**outcome, "unexpected": unexpected, "known_failed": known_failed, "fixed": fixed},
                indent=1,
            )
        )
    for tid in unexpected:
        print(f"upstream: FAILED (not in {known_path}): {tid}")
    for tid in fixed:
        print(f"upstream: PASSED but listed in {known_path} (remove it): {tid}")
    bad = len(unexpected) + len(fixed)
    if not outcome["ran"]:
        print("upstream: no test ran (install problem? see the log)")
        bad += 1
    print(
        f"upstream: {passed} passed, {bad} failed, {len(known_failed)} known failures"
        f" (odoo-bin exit {odoo_rc})"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
