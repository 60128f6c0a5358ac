"""Benchmark `legacy-compat convert` against `tf_upgrade_v2` on the fixture corpus.

    .venv/bin/python bench/bench_convert.py [--repeat 5] [--copies 8] [--skip-run] [--one-file N]

1. Cost of `legacy-compat convert` itself, through its command line in a
   subprocess: once on one fixture directory, once on a batch directory that
   holds --copies copies of every fixture.  The difference gives the cost per
   file in a batch; what is left of the single run is the per-process cost
   (interpreter start, imports, compiling the fissix fixers).
2. Each tool on each fixture (the tool's own command line, one subprocess per
   fixture, like a user converting one project at a time), then each output
   run unmodified as a Script Mode entry point (TF 2.15, SM_* variables,
   `--model_dir s3://bucket/prefix`, 20 training steps, no legacy-compat
   importable).  A fixture counts as working when the converter exited 0, the
   output exited 0 and left a SavedModel under SM_MODEL_DIR/export/Servo/<digits>.
   tf_upgrade_v2 cannot parse Python 2, so it gets the fixtures as written,
   like a user would run it.

3. (--one-file N) One file converted per process, the common case (an editor, a
   pre-commit ``--check``): N interleaved pairs of runs, one with the on-disk cache
   of compiled fissix fixers warm, one with the cache turned off
   (LEGACY_COMPAT_CACHE_DIR=), wall and CPU time of each process.  Bytecode
   caches are on, as in an installed package (a warm-up run writes them).

Times are medians over --repeat runs with their range: the machine is shared,
so the best run says little.
"""
import argparse
import os
import pathlib
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.convert.conftest import (SCRIPT_FIXTURES, installed_target, run_script_mode,  # noqa: E402
                                    write_iris_data)

BIN = pathlib.Path(sys.executable).parent
HYPERPARAMETERS = {"training_steps": 20, "evaluation_steps": 3, "learning_rate": 0.1}
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")


def _sources(work):
    """Copy each fixture's directory so both tools see the same files."""
    sources = {}
    for name, path in sorted(SCRIPT_FIXTURES.items()):
        target = work / "src" / name
        shutil.copytree(os.path.dirname(path), str(target))
        sources[name] = target / "train.py"
    return sources


def _convert_legacy_compat(src_dir, out_dir):
    # The outputs run on the installed TF, so that is the target (not the newest release).
    return [sys.executable, "-m", "legacy_compat.convert", str(src_dir), "-o", str(out_dir),
            "--target", "tf" + installed_target()]


def _convert_tf_upgrade_v2(src_dir, out_dir):
    return [str(BIN / "tf_upgrade_v2"), "--intree", str(src_dir), "--outtree", str(out_dir),
            "--copyotherfiles", "True", "--reportfile", str(out_dir) + ".report.txt"]


TOOLS = {"legacy-compat convert": _convert_legacy_compat, "tf_upgrade_v2": _convert_tf_upgrade_v2}


def _timed(command):
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=ENV)
    return time.perf_counter() - start, result


def _python_files(directory):
    return sum(1 for _ in pathlib.Path(directory).rglob("*.py"))


def convert_all(tool, sources, out_root):
    """One subprocess per fixture: (wall time, {fixture: exit code})."""
    codes = {}
    total = 0.0
    for name, src in sources.items():
        out_dir = out_root / name
        if out_dir.exists():
            shutil.rmtree(str(out_dir))
        seconds, result = _timed(TOOLS[tool](src.parent, out_dir))
        total += seconds
        codes[name] = result.returncode
    return total, codes


def converter_cost(work, repeat, copies):
    """(per-process seconds, per-file seconds, files in the batch, failures) as lists per run."""
    single = work / "src" / "iris_model_fn"
    batch = work / "batch"
    for copy in range(copies):
        for name, path in sorted(SCRIPT_FIXTURES.items()):
            shutil.copytree(os.path.dirname(path), str(batch / ("%s-%d" % (name, copy))))
    n_single, n_batch = _python_files(single), _python_files(batch)
    per_process, per_file, failures = [], [], []
    for run in range(repeat):
        out = work / ("cost-out-%d" % run)
        t_single, r_single = _timed(_convert_legacy_compat(single, out / "single"))
        t_batch, r_batch = _timed(_convert_legacy_compat(batch, out / "batch"))
        failures += [r.stderr[-500:] for r in (r_single, r_batch) if r.returncode != 0]
        file_cost = (t_batch - t_single) / (n_batch - n_single)
        per_file.append(file_cost)
        per_process.append(t_single - n_single * file_cost)
        shutil.rmtree(str(out), ignore_errors=True)
    return per_process, per_file, n_batch, failures


def _timed_cpu(command, env):
    """(wall seconds, CPU seconds of the child, result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result


def one_file_cost(work, pairs):
    """{"cache": [(wall, cpu)], "no cache": [(wall, cpu)]}, plus failures; runs interleaved."""
    source = pathlib.Path(SCRIPT_FIXTURES["iris_model_fn"])
    env = dict(ENV, LEGACY_COMPAT_CACHE_DIR=str(work / "fixer-cache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    variants = {"cache": env, "no cache": dict(env, LEGACY_COMPAT_CACHE_DIR="")}
    times = {name: [] for name in variants}
    failures = []
    outputs = set()
    for run in range(pairs + 1):  # run 0 warms the bytecode and fixer caches
        order = sorted(variants, reverse=bool(run % 2))
        for name in order:
            out = work / ("one-file-%d-%s.py" % (run, name.replace(" ", "-")))
            wall, cpu, result = _timed_cpu(_convert_legacy_compat(source, out), variants[name])
            if result.returncode != 0:
                failures.append(result.stderr[-500:])
                continue
            outputs.add(out.read_bytes())
            if run:
                times[name].append((wall, cpu))
    if len(outputs) > 1:
        failures.append("the outputs with and without the cache differ")
    return times, failures


def runs_unmodified(script, work):
    if not script.exists() or script.stat().st_size == 0:
        return False
    run_dir = pathlib.Path(tempfile.mkdtemp(dir=str(work)))
    data = write_iris_data(str(run_dir / "data" / "training"))
    result, model_dir, _ = run_script_mode(script, data, run_dir, HYPERPARAMETERS)
    servo = model_dir / "export" / "Servo"
    exported = servo.is_dir() and any(p.name.isdigit() and (p / "saved_model.pb").exists()
                                      for p in servo.iterdir())
    return result.returncode == 0 and exported


def _median_range(values, unit="s", scale=1.0):
    values = [v * scale for v in values]
    return "%.3f %s (%.3f-%.3f)" % (statistics.median(values), unit, min(values), max(values))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=8,
                        help="copies of every fixture in the batch directory")
    parser.add_argument("--skip-run", action="store_true", help="only time the conversion")
    parser.add_argument("--one-file", type=int, default=0, metavar="N",
                        help="also time N interleaved pairs of one-file conversions, fixer "
                             "cache warm against cache off")
    parser.add_argument("--only-one-file", action="store_true",
                        help="with --one-file: skip the batch and tool comparisons")
    parser.add_argument("--cost-only", action="store_true",
                        help="only legacy-compat convert's own costs (one file, batch), "
                             "no tf_upgrade_v2 comparison")
    args = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="bench-convert-"))
    failed = False
    try:
        sources = _sources(work)
        if args.one_file:
            times, one_failures = one_file_cost(work, args.one_file)
            print("one file (%s, %d lines) per process, %d interleaved pairs, median (range):"
                  % (pathlib.Path(SCRIPT_FIXTURES["iris_model_fn"]).relative_to(ROOT),
                     len(pathlib.Path(SCRIPT_FIXTURES["iris_model_fn"]).read_text().splitlines()),
                     args.one_file))
            for name, values in times.items():
                print("  %-8s wall %s, CPU %s" % (name, _median_range([w for w, _ in values]),
                                                  _median_range([c for _, c in values])))
            ratios = [a[0] / b[0] for a, b in zip(times["cache"], times["no cache"])]
            if ratios:
                print("  paired wall ratio cache / no cache: %s" % _median_range(ratios, unit="x"))
            if one_failures:
                failed = True
                print("  FAILED: %s" % one_failures[0])
            if args.only_one_file:
                return 1 if failed else 0
        per_process, per_file, n_batch, cost_failures = converter_cost(
            work, args.repeat, args.copies)
        print("legacy-compat convert, median of %d runs (range):" % args.repeat)
        print("  per file in a batch of %d files: %s" % (n_batch, _median_range(per_file)))
        print("  per process (start, imports, fissix fixers): %s" % _median_range(per_process))
        if cost_failures:
            failed = True
            print("  FAILED: %d conversion(s) exited non-zero: %s"
                  % (len(cost_failures), cost_failures[0]))

        if args.cost_only:
            return 1 if failed else 0
        results = {}
        for tool in TOOLS:
            out_root = work / tool.replace(" ", "_")
            runs = [convert_all(tool, sources, out_root) for _ in range(args.repeat)]
            codes = runs[-1][1]
            exit_zero = sorted(name for name, code in codes.items() if code == 0)
            if any(code != 0 for _, run_codes in runs for code in run_codes.values()):
                failed = failed or tool == "legacy-compat convert"
            working = None
            if not args.skip_run:
                working = sum(name in exit_zero and runs_unmodified(out_root / name / "train.py",
                                                                    work)
                              for name in sources)
            results[tool] = ([seconds for seconds, _ in runs], len(exit_zero), working)
        n = len(sources)
        print("\n| tool | fixtures | converter exit 0 | works unmodified (exit 0, trains, exports) "
              "| convert all, one process per fixture: median (range) |")
        print("|---|---|---|---|---|")
        for tool, (times, exit_zero, working) in results.items():
            print("| %s | %d | %d / %d | %s | %s |" % (
                tool, n, exit_zero, n, "-" if working is None else "%d / %d" % (working, n),
                _median_range(times)))
        ours = statistics.median(results["legacy-compat convert"][0])
        theirs = statistics.median(results["tf_upgrade_v2"][0])
        print("\nmedian wall time legacy-compat / tf_upgrade_v2: %.2f" % (ours / theirs))
    finally:
        shutil.rmtree(str(work), ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
