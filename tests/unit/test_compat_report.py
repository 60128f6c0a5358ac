"""docs/compatibility.md keeps the columns of cells that a partial matrix run did not rerun."""
import os
import sys

import pytest

MATRIX = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "matrix")
sys.path.insert(0, MATRIX)
try:
    import compat_report
finally:
    sys.path.remove(MATRIX)


def junit(directory, cell, outcomes):
    cases = []
    for test, outcome in outcomes.items():
        module, name = test.split("::")
        inner = {"passed": "", "failed": '<failure message="boom"/>',
                 "skipped": '<skipped message="no"/>'}[outcome]
        cases.append('<testcase classname="%s" name="%s">%s</testcase>' % (module, name, inner))
    directory.join(cell + ".xml").write(
        '<testsuites><testsuite name="pytest">%s</testsuite></testsuites>' % "".join(cases))


def test_a_partial_run_replaces_its_cells_and_keeps_the_others(tmpdir):
    first = tmpdir.mkdir("first")
    junit(first, "tf1.4.1-py2.7", {"test_smoke::test_a": "passed", "test_smoke::test_b": "skipped"})
    junit(first, "tf2.15.1-py3.11", {"test_smoke::test_a": "failed", "test_smoke::test_b": "passed"})
    page = tmpdir.join("compatibility.md")
    page.write(compat_report.main(["compat_report.py", str(first)]))

    second = tmpdir.mkdir("second")
    junit(second, "tf2.15.1-py3.11", {"test_smoke::test_a": "passed", "test_smoke::test_c": "passed"})
    kept = compat_report.read_page(str(page))
    assert kept["tf1.4.1-py2.7"] == {"test_smoke::test_a": "passed", "test_smoke::test_b": "skipped"}
    text = compat_report.main(["compat_report.py", str(second), "--keep", str(page)])

    rows = dict((line.split(" | ")[0].strip("|` "), line) for line in text.splitlines()
                if line.startswith("| `"))
    assert "| tf1.4.1-py2.7 | tf2.15.1-py3.11 |" in text
    assert rows["test_smoke::test_a"] == "| `test_smoke::test_a` | pass | pass |"
    assert rows["test_smoke::test_b"] == "| `test_smoke::test_b` | skip | - |"
    assert rows["test_smoke::test_c"] == "| `test_smoke::test_c` | - | pass |"
    assert "Columns from an earlier run (not rerun this time): tf1.4.1-py2.7." in text


def test_keep_refuses_a_page_without_the_results_table(tmpdir):
    reports = tmpdir.mkdir("reports")
    junit(reports, "tf1.4.1-py2.7", {"test_smoke::test_a": "passed"})
    page = tmpdir.join("other.md")
    page.write("# Something else\n")
    with pytest.raises(SystemExit, match="no '## Results per release' table"):
        compat_report.main(["compat_report.py", str(reports), "--keep", str(page)])


def test_every_skip_and_dash_has_its_reason_in_the_notes(tmpdir):
    reports = tmpdir.mkdir("reports")
    junit(reports, "tf1.4.1-py2.7", {"test_smoke::test_a": "passed", "test_smoke::test_b": "skipped"})
    junit(reports, "tf2.21.0-keras-py3.13", {"test_keras_scripts::test_k": "passed"})
    junit(reports, "tf2.15.1-py3.11", {"test_smoke::test_a": "passed"})
    text = compat_report.main(["compat_report.py", str(reports)])
    notes = text.split("## Notes")[1]
    assert "Keras-only cells (tf2.21.0-keras-py3.13)" in notes
    assert '* skip, "no": `test_smoke::test_b` (tf1.4.1-py2.7)' in notes
    assert "`test_smoke::test_b` in tf2.15.1-py3.11" in notes
    assert "test_keras_scripts::test_k` in tf1.4.1" not in notes
    # The notes are no table rows: reading the page back keeps the results only.
    page = tmpdir.join("compatibility.md")
    page.write(text)
    assert compat_report.read_page(str(page))["tf2.15.1-py3.11"] == {"test_smoke::test_a": "passed"}
