import pytest

from tests.convert.conftest import run_rule

INFO_BUFFER = ("Dataset.map(num_threads=, output_buffer_size=) is TF 1.2-1.4's signature: "
               "now map(num_parallel_calls=).prefetch()")


@pytest.mark.parametrize("before, after", [
    pytest.param("ds = ds.map(parse, num_threads=4, output_buffer_size=64)\n",
                 "ds = ds.map(parse, num_parallel_calls=4).prefetch(64)\n", id="both"),
    pytest.param("ds = ds.map(parse, num_threads=4)\n",
                 "ds = ds.map(parse, num_parallel_calls=4)\n", id="threads only"),
    pytest.param("ds = ds.map(parse, output_buffer_size=8, batch=2, **extra)\n",
                 "ds = ds.map(parse, batch=2, **extra).prefetch(8)\n",
                 id="buffer only, other keywords kept"),
    pytest.param("ds = ds.map(parse, num_threads=n * 2)\n",
                 "ds = ds.map(parse, num_parallel_calls=n * 2)\n", id="expression"),
])
def test_fix_dataset_map_args(before, after):
    assert run_rule("dataset-map-args", before).output == after


def test_each_legacy_map_is_reported_with_what_it_became():
    conversion = run_rule("dataset-map-args", "a = x.map(f, num_threads=2)\n"
                                              "b = y.map(g, output_buffer_size=3)\n")
    assert [(f.severity, f.line, f.col, f.message) for f in conversion.findings] == [
        ("INFO", 1, 5, INFO_BUFFER.replace(".prefetch()", "")),
        ("INFO", 2, 5, INFO_BUFFER)]


def test_a_chain_of_legacy_maps_converts_over_two_runs():
    source = "ds = a.map(f, num_threads=2).map(g, num_threads=3)\n"
    first = run_rule("dataset-map-args", source).output
    assert first == "ds = a.map(f, num_threads=2).map(g, num_parallel_calls=3)\n"
    assert run_rule("dataset-map-args", first).output == (
        "ds = a.map(f, num_parallel_calls=2).map(g, num_parallel_calls=3)\n")


@pytest.mark.parametrize("source", [
    pytest.param("ds = ds.map(parse, num_parallel_calls=4)\n", id="already TF 2"),
    pytest.param("m = map(f, xs)\n", id="builtin map"),
    pytest.param("ds = ds.filter(f, num_threads=2)\n", id="not map"),
])
def test_noop_dataset_map_args(source):
    conversion = run_rule("dataset-map-args", source)
    assert conversion.output == source and conversion.findings == []
