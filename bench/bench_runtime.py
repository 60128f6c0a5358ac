"""Runtime overhead of ``legacy-compat train`` against a hand-written train_and_evaluate.

Both runners train bench/legacy_model.py for the same number of steps, in
alternating child processes of this one (same machine, same load). Each run
must reach the target global step and export a SavedModel, or the benchmark
stops: a runner that did less work would look faster. The overhead is the
median of the paired ratios (run i of one runner against run i of the other,
taken back to back), reported with its spread. Also times ``legacy-compat --help``.

    python bench/bench_runtime.py [--steps 3000] [--repeats 5] [--write-docs]
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DOC = os.path.join(ROOT, "docs", "benchmarks.md")
BEGIN, END = "<!-- runtime:begin -->", "<!-- runtime:end -->"
# --startup: a short job, where the fixed costs (start-up, teardown) dominate; its own section.
STARTUP_BEGIN, STARTUP_END = "<!-- startup:begin -->", "<!-- startup:end -->"


def timed(command, env, cpu=None):
    """Wall time of one child process; its CPU time (user+sys) is appended to ``cpu``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout.decode("utf-8", "replace")[-3000:])
        raise SystemExit("benchmark command failed: %s" % " ".join(command))
    if cpu is not None:
        cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return elapsed


def checkpoint_step(model_dir):
    """The global step of the newest checkpoint, from the ``checkpoint`` state file."""
    path = os.path.join(model_dir, "checkpoint")
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        for line in handle:
            if line.startswith("model_checkpoint_path:"):
                return int(line.split(":", 1)[1].strip().strip('"').rsplit("-", 1)[1])
    return None


def exported(base):
    """True if ``base`` holds a <timestamp>/saved_model.pb export."""
    return os.path.isdir(base) and any(
        name.isdigit() and os.path.exists(os.path.join(base, name, "saved_model.pb"))
        for name in os.listdir(base))


def check_work(kind, model_dir, export_base, steps):
    """Stop the benchmark unless the run trained to ``steps`` and exported."""
    reached = checkpoint_step(model_dir)
    if reached != steps:
        raise SystemExit("%s run stopped at global step %s, not %d: the timings would compare "
                         "different amounts of work" % (kind, reached, steps))
    if not exported(export_base):
        raise SystemExit("%s run exported no SavedModel under %s" % (kind, export_base))


def quartiles(values):
    ordered = sorted(values)
    if len(ordered) < 2:
        return ordered[0], ordered[0]
    q = statistics.quantiles(ordered, n=4, method="inclusive")
    return q[0], q[2]


def compile_bytecode():
    """Byte-compile legacy_compat, as installing the package does: a checkout run with
    PYTHONDONTWRITEBYTECODE would otherwise compile every module from source in each run,
    a cost the baseline (TensorFlow, installed with its .pyc files) never pays."""
    import compileall
    compileall.compile_dir(os.path.join(ROOT, "legacy_compat"), quiet=1)


def run(steps, eval_steps, repeats, startup=False):
    compile_bytecode()
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="2")
    work = tempfile.mkdtemp(prefix="lc-bench-")
    legacy, native, alike = [], [], []
    cpu = {"legacy": [], "native": [], "alike": []}
    kinds = ("legacy", "native") + (("alike",) if startup else ())
    try:
        for index in range(repeats):
            for kind in kinds if index % 2 == 0 else tuple(reversed(kinds)):
                target = os.path.join(work, "%s-%d" % (kind, index))
                if kind == "legacy":
                    hps = json.dumps({"training_steps": steps, "evaluation_steps": eval_steps})
                    command = [sys.executable, "-m", "legacy_compat", "train",
                               os.path.join(HERE, "legacy_model.py"), "--job-dir", target,
                               "--hyperparameters", hps]
                    legacy.append(timed(command, env, cpu["legacy"]))
                    model_dir = os.path.join(target, "model")
                else:
                    command = [sys.executable, os.path.join(HERE, "native_train.py"),
                               target, str(steps), str(eval_steps)]
                    runs, kind_env = (native, env) if kind == "native" else (
                        alike, dict(env, BENCH_IMPORT_LIKE_TRAIN="1"))
                    runs.append(timed(command, kind_env, cpu[kind]))
                    model_dir = target
                check_work(kind, model_dir, os.path.join(model_dir, "export", "Servo"), steps)
                shutil.rmtree(target, ignore_errors=True)
        helps = [timed([sys.executable, "-m", "legacy_compat", "--help"], env) for _ in range(10)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = [a / b for a, b in zip(legacy, native)]
    cpu_ratios = [a / b for a, b in zip(cpu["legacy"], cpu["native"])]
    # Differences in seconds: what a fixed start-up and teardown cost looks like.
    wall_diffs = [a - b for a, b in zip(legacy, native)]
    cpu_diffs = [a - b for a, b in zip(cpu["legacy"], cpu["native"])]
    alike_diffs = {
        "wall": [a - b for a, b in zip(legacy, alike)],
        "cpu": [a - b for a, b in zip(cpu["legacy"], cpu["alike"])]}
    return {
        "alike": alike, "alike_diffs": alike_diffs,
        "steps": steps, "evaluation_steps": eval_steps, "repeats": repeats,
        "legacy": legacy, "native": native, "help": helps,
        "legacy_median": statistics.median(legacy), "native_median": statistics.median(native),
        "ratios": ratios,
        "overhead": statistics.median(ratios) - 1.0,
        "overhead_iqr": tuple(q - 1.0 for q in quartiles(ratios)),
        "overhead_range": (min(ratios) - 1.0, max(ratios) - 1.0),
        "help_median": statistics.median(helps),
        "legacy_cpu": statistics.median(cpu["legacy"]),
        "native_cpu": statistics.median(cpu["native"]),
        "cpu_overhead": statistics.median(cpu_ratios) - 1.0,
        "cpu_overhead_iqr": tuple(q - 1.0 for q in quartiles(cpu_ratios)),
        "cpu": cpu, "wall_diffs": wall_diffs, "cpu_diffs": cpu_diffs,
        "wall_diff": statistics.median(wall_diffs), "wall_diff_iqr": quartiles(wall_diffs),
        "cpu_diff": statistics.median(cpu_diffs), "cpu_diff_iqr": quartiles(cpu_diffs),
    }


def verdict(result, limit=0.03):
    """What the paired ratios support about 'at most ``limit`` overhead'."""
    low, high = result["overhead_iqr"]
    if high <= limit:
        return "supports the requirement (at most %d %%): even the upper quartile is below it" % (
            100 * limit)
    if low > limit:
        return "does not meet the requirement (at most %d %%): even the lower quartile is " \
               "above it" % (100 * limit)
    return ("is inconclusive against the requirement (at most %d %%): the middle half of the "
            "paired ratios straddles it; more runs or a quieter machine would settle it"
            % (100 * limit))


def render(result, begin=BEGIN, end=END, title="Runtime"):
    import tensorflow as tf
    pct = lambda value: "%+.1f %%" % (100 * value)  # noqa: E731
    lines = [
        begin,
        "## " + title,
        "",
        "**Overhead of `legacy-compat train`: %s of wall time** (median of %d paired ratios; "
        "middle half %s to %s, all runs %s to %s), **%s of CPU time** (middle half %s to %s). "
        "This %s."
        % (pct(result["overhead"]), result["repeats"], pct(result["overhead_iqr"][0]),
           pct(result["overhead_iqr"][1]), pct(result["overhead_range"][0]),
           pct(result["overhead_range"][1]), pct(result["cpu_overhead"]),
           pct(result["cpu_overhead_iqr"][0]), pct(result["cpu_overhead_iqr"][1]),
           verdict(result)),
        "",
        "`python bench/bench_runtime.py --write-docs%s --steps %d --repeats %d` (%s, Python %s, "
        "TensorFlow %s, %d CPUs; legacy_compat byte-compiled first, as an install does)."
        % (" --startup" if result.get("startup") else "", result["steps"], result["repeats"],
           datetime.date.today().isoformat(),
           platform.python_version(), tf.__version__, os.cpu_count()),
        "The same `model_fn` (bench/legacy_model.py) trained for %d steps with %d evaluation "
        "steps and a Servo export, %d runs each, alternating which runner goes first, each a "
        "fresh process (TensorFlow import included). Every run is checked to have reached global "
        "step %d and exported a SavedModel. A paired ratio is one `legacy-compat train` run "
        "divided by the hand-written run taken next to it, so both saw the same load."
        % (result["steps"], result["evaluation_steps"], result["repeats"], result["steps"]),
        "",
        "| runner | median wall time | median CPU time | wall time of each run (s) |",
        "|---|---|---|---|",
        "| hand-written `tf.estimator.train_and_evaluate` | %.2f s | %.2f s | %s |"
        % (result["native_median"], result["native_cpu"],
           ", ".join("%.2f" % t for t in result["native"])),
        "| `legacy-compat train` | %.2f s | %.2f s | %s |"
        % (result["legacy_median"], result["legacy_cpu"],
           ", ".join("%.2f" % t for t in result["legacy"])),
        "",
        "Paired wall-time ratios, in run order: %s."
        % ", ".join("%.3f" % r for r in result["ratios"]),
        "",
        "Paired differences, `legacy-compat train` minus hand-written: wall **%+.2f s** "
        "(median; middle half %+.2f to %+.2f s; each: %s), CPU **%+.2f s** (middle half %+.2f "
        "to %+.2f s; each: %s)."
        % (result["wall_diff"], result["wall_diff_iqr"][0], result["wall_diff_iqr"][1],
           ", ".join("%+.2f" % d for d in result["wall_diffs"]), result["cpu_diff"],
           result["cpu_diff_iqr"][0], result["cpu_diff_iqr"][1],
           ", ".join("%+.2f" % d for d in result["cpu_diffs"])),
        "",
    ] + _alike_lines(result) + [
        "Load average (1, 5, 15 min) at the start and the end: %s; %s."
        % (result["load_before"], result["load_after"]),
        "",
        "`legacy-compat --help`: median **%.3f s** over 10 runs (requirement: under 0.3 s; it "
        "imports no TensorFlow)." % result["help_median"],
        end,
    ]
    return "\n".join(lines)


def _alike_lines(result):
    """--startup's third runner: the hand-written job with TensorFlow imported as train does."""
    if not result.get("alike"):
        return []
    wall, cpu = result["alike_diffs"]["wall"], result["alike_diffs"]["cpu"]
    return [
        "Third runner, the same hand-written job with TensorFlow imported as `train` imports it "
        "(the cyclic collector paused during the import, its objects frozen after; "
        "`BENCH_IMPORT_LIKE_TRAIN=1`): median wall %.2f s, CPU %.2f s. `legacy-compat train` "
        "minus this runner, i.e. the rest of our code with the collector's share set aside: "
        "wall **%+.2f s** (middle half %+.2f to %+.2f s; each: %s), CPU **%+.2f s** (middle "
        "half %+.2f to %+.2f s; each: %s)."
        % (statistics.median(result["alike"]), statistics.median(result["cpu"]["alike"]),
           statistics.median(wall), quartiles(wall)[0], quartiles(wall)[1],
           ", ".join("%+.2f" % d for d in wall), statistics.median(cpu), quartiles(cpu)[0],
           quartiles(cpu)[1], ", ".join("%+.2f" % d for d in cpu)),
        "",
    ]


def write_docs(section, begin=BEGIN, end=END):
    text = open(DOC).read() if os.path.exists(DOC) else "# Benchmarks\n"
    if begin in text and end in text:
        head, _, rest = text.partition(begin)
        _, _, tail = rest.partition(end)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(DOC, "w") as handle:
        handle.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--evaluation-steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--startup", action="store_true",
                        help="a short job (default 20 steps) judged by its paired differences in "
                             "seconds, written to its own section (goal: within 0.3 s)")
    args = parser.parse_args()
    if args.startup and args.steps == parser.get_default("steps"):
        args.steps = 20
    load_before = "%.1f, %.1f, %.1f" % os.getloadavg()
    result = run(args.steps, args.evaluation_steps, args.repeats, args.startup)
    result["load_before"], result["load_after"] = load_before, "%.1f, %.1f, %.1f" % os.getloadavg()
    result["startup"] = args.startup
    if args.startup:
        section = render(result, STARTUP_BEGIN, STARTUP_END,
                         "Start-up and teardown (%d-step job)" % args.steps)
    else:
        section = render(result)
    print(section)
    if args.write_docs:
        write_docs(section, *((STARTUP_BEGIN, STARTUP_END) if args.startup else (BEGIN, END)))
    if args.startup:
        return 0 if max(result["wall_diff"], result["cpu_diff"]) <= 0.3 else 1
    return 0 if result["overhead_iqr"][1] <= 0.03 and result["help_median"] < 0.3 else 1


if __name__ == "__main__":
    sys.exit(main())
