"""Render docs/compatibility.md from the junit reports of the last matrix run.

    python tests/matrix/compat_report.py REPORT_DIR > docs/compatibility.md

REPORT_DIR holds one ``<cell id>.xml`` per matrix cell (written by the nox sessions with
``--junitxml``). Rows are the behaviours tested, columns the cells.

    python tests/matrix/compat_report.py REPORT_DIR --keep docs/compatibility.md

also keeps the columns of that page for the cells that have no report in REPORT_DIR, so a run of
a few cells updates their columns without erasing what earlier runs found for the others (a
cell with a report replaces its old column whole).
"""
import io
import os
import re
import sys
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import versions  # noqa: E402
from test_adapters import QUIRKS  # noqa: E402

MARK = {"passed": "pass", "failed": "**FAIL**", "skipped": "skip"}
RESULTS_HEADING = "## Results per release"


def cell_key(cell_id):
    match = re.match(r"tf([\d.]+)(-gpu|-keras)?-py([\d.]+)", cell_id)
    tf, kind, python = match.groups()
    return (tuple(int(p) for p in tf.split(".")), kind or "", python)


def read(report_dir):
    results = {}   # cell id -> {test name: outcome}
    for name in os.listdir(report_dir):
        if not name.endswith(".xml"):
            continue
        tree = ElementTree.parse(os.path.join(report_dir, name))
        outcomes = {}
        for case in tree.iter("testcase"):
            test = "%s::%s" % (case.get("classname", "").split(".")[-1], case.get("name"))
            if case.find("failure") is not None or case.find("error") is not None:
                outcomes[test] = "failed"
            elif case.find("skipped") is not None:
                outcomes[test] = "skipped"
            else:
                outcomes[test] = "passed"
        results[name[:-4]] = outcomes
    return results


def skip_reasons(report_dir):
    """{reason: {test: [cell ids]}} from the ``<skipped message=...>`` of each report."""
    reasons = {}
    for name in sorted(os.listdir(report_dir)):
        if not name.endswith(".xml"):
            continue
        tree = ElementTree.parse(os.path.join(report_dir, name))
        for case in tree.iter("testcase"):
            skipped = case.find("skipped")
            if skipped is None:
                continue
            test = "%s::%s" % (case.get("classname", "").split(".")[-1], case.get("name"))
            reason = (skipped.get("message") or "no reason given").replace("|", "/")
            reasons.setdefault(reason, {}).setdefault(test, []).append(name[:-4])
    return reasons


def _keras_only(cell_id):
    return "-keras-" in cell_id


def not_run_notes(results):
    """Why a test shows ``-`` in a column: the one split by design, then anything else."""
    cells = sorted(results, key=cell_key)
    keras_tests = set(test for cell in cells if _keras_only(cell) for test in results[cell])
    notes, unexplained = [], []
    if keras_tests and any(not _keras_only(cell) for cell in cells):
        notes.append("The Keras-only cells (%s) install TensorFlow alone and run only "
                     "`tests/matrix/keras_cell/` (scripts converted with `--target keras`); the "
                     "other cells run the rest of `tests/matrix/`. So each group's rows are `-` "
                     "in the other group's columns." % ", ".join(c for c in cells if _keras_only(c)))
    for cell in cells:
        for test in sorted(set(t for r in results.values() for t in r)):
            if test in results[cell]:
                continue
            if _keras_only(cell) != (test in keras_tests):
                continue
            unexplained.append("`%s` in %s" % (test, cell))
    if unexplained:
        notes.append("Not run in that cell's report (a column kept from an earlier run, or a "
                     "test the cell did not collect): " + "; ".join(unexplained) + ".")
    return notes


def read_page(path):
    """The per-cell outcomes in the results table of a page this script wrote."""
    outcome_of = dict((mark, outcome) for outcome, mark in MARK.items())
    results = {}
    cells = None
    with io.open(path, encoding="utf-8") as page:
        lines = page.read().splitlines()
    if RESULTS_HEADING not in lines:
        raise SystemExit("%s: no %r table to keep columns from" % (path, RESULTS_HEADING))
    for line in lines[lines.index(RESULTS_HEADING) + 1:]:
        if not line.startswith("|") or line.startswith("|---"):
            continue
        fields = [field.strip() for field in line.strip().strip("|").split("|")]
        if cells is None:
            cells = fields[1:]
            results = dict((cell, {}) for cell in cells)
            continue
        test = fields[0].strip("`")
        for cell, mark in zip(cells, fields[1:]):
            if mark in outcome_of:
                results[cell][test] = outcome_of[mark]
    return results


def merge(kept, results):
    """``results`` plus the cells of ``kept`` that have no report; returns (merged, kept cells)."""
    merged = dict(results)
    carried = sorted((cell for cell in kept if cell not in results), key=cell_key)
    for cell in carried:
        merged[cell] = kept[cell]
    return merged, carried


def render(results, carried=(), reasons=None):
    cells = sorted(results, key=cell_key)
    known = [versions.cell_id(cell) for cell in versions.CELLS]
    missing = [cell for cell in known if cell not in results]
    tests = sorted(set(test for outcomes in results.values() for test in outcomes))
    out = io.StringIO() if sys.version_info[0] == 3 else io.BytesIO()
    write = out.write
    write("# Compatibility\n\n")
    write("<!-- Generated by `nox -s compatibility` from the last full matrix run "
          "(`nox -t matrix`); do not edit by hand. -->\n\n")
    write("Each column is a real TensorFlow release installed by the nox matrix; each row a "
          "behaviour test from `tests/matrix/`. `pass` means the test passed on that release "
          "(for the quirk tests: the quirk shows on plain TensorFlow exactly where expected and "
          "the adapter fixes it); `skip` that the test does not apply there and `-` that it "
          "was not run there, each with the reason in the notes below the table. From TF 2.16 on, TensorFlow has no `tf.estimator`: those cells "
          "install tensorflow-estimator 2.15.0 and tf-keras, and \"plain TensorFlow\" there "
          "means TensorFlow with `legacy_compat.estimator` (docs/tf-modern.md).\n\n")
    if missing:
        write("Not in this run: %s.\n\n" % ", ".join(missing))
    if carried:
        write("Columns from an earlier run (not rerun this time): %s.\n\n" % ", ".join(carried))
    write("## Version gaps the adapter layer fills\n\n")
    write("Found with the matrix: each is a scenario in `tests/matrix/adapter_driver.py` that "
          "fails on plain TensorFlow in the releases listed and works with the adapter "
          "(`test_adapters.py` asserts both, per release).\n\n")
    write("| scenario | plain TF fails on | symptom |\n|---|---|---|\n")
    for scenario, releases, symptom in QUIRKS:
        write("| `%s` | %s | `%s` |\n" % (scenario, "every release" if releases == "all"
                                           else "TF " + releases, symptom))
    write("\n%s\n\n" % RESULTS_HEADING)
    write("| test | %s |\n" % " | ".join(cells))
    write("|---|%s\n" % ("---|" * len(cells)))
    for test in tests:
        row = [MARK.get(results[cell].get(test), "-") for cell in cells]
        write("| `%s` | %s |\n" % (test, " | ".join(row)))
    write("\n## Notes\n\n")
    for note in not_run_notes(results):
        write("* %s\n" % note)
    for reason, tests in sorted((reasons or {}).items()):
        where = "; ".join("`%s` (%s)" % (test, ", ".join(sorted(cells, key=cell_key)))
                          for test, cells in sorted(tests.items()))
        write("* skip, \"%s\": %s\n" % (reason, where))
    return out.getvalue()


def main(argv):
    if len(argv) == 2:
        return render(read(argv[1]), reasons=skip_reasons(argv[1]))
    if len(argv) == 4 and argv[2] == "--keep":
        merged, carried = merge(read_page(argv[3]), read(argv[1]))
        return render(merged, carried, reasons=skip_reasons(argv[1]))
    raise SystemExit("usage: compat_report.py REPORT_DIR [--keep PAGE]")


if __name__ == "__main__":
    sys.stdout.write(main(sys.argv))
