"""Runtime overhead of ``legacy-compat train`` against a hand-written train_and_evaluate.

Both runners train bench/legacy_model.py for the same number of steps, in
alternating child processes of this one (same machine, same load), and the
medians are compared. Also times ``legacy-compat --help``.

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


def run(steps, eval_steps, repeats):
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="2")
    work = tempfile.mkdtemp(prefix="lc-bench-")
    legacy, native = [], []
    cpu = {"legacy": [], "native": []}
    try:
        for index in range(repeats):
            for kind in ("legacy", "native") if index % 2 == 0 else ("native", "legacy"):
                target = os.path.join(work, "%s-%d" % (kind, index))
                if kind == "legacy":
                    hps = json.dumps({"training_steps": steps, "evaluation_steps": eval_steps})
                    command = [sys.executable, "-m", "legacy_compat", "train",
                               os.path.join(HERE, "legacy_model.py"), "--job-dir", target,
                               "--hyperparameters", hps]
                    legacy.append(timed(command, env, cpu["legacy"]))
                else:
                    command = [sys.executable, os.path.join(HERE, "native_train.py"),
                               target, str(steps), str(eval_steps)]
                    native.append(timed(command, env, cpu["native"]))
        helps = [timed([sys.executable, "-m", "legacy_compat", "--help"], env) for _ in range(10)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "steps": steps, "evaluation_steps": eval_steps, "repeats": repeats,
        "legacy": legacy, "native": native, "help": helps,
        "legacy_median": statistics.median(legacy), "native_median": statistics.median(native),
        "overhead": statistics.median(legacy) / statistics.median(native) - 1.0,
        "help_median": statistics.median(helps),
        "legacy_cpu": statistics.median(cpu["legacy"]),
        "native_cpu": statistics.median(cpu["native"]),
        "cpu_overhead": statistics.median(cpu["legacy"]) / statistics.median(cpu["native"]) - 1.0,
    }


def render(result):
    import tensorflow as tf
    lines = [
        BEGIN,
        "## Runtime",
        "",
        "`python bench/bench_runtime.py --write-docs` (%s, Python %s, TensorFlow %s, %d CPUs)."
        % (datetime.date.today().isoformat(), platform.python_version(), tf.__version__,
           os.cpu_count()),
        "The same `model_fn` (bench/legacy_model.py) trained for %d steps with %d evaluation "
        "steps and a Servo export, %d runs each, alternating, each a fresh process (TensorFlow "
        "import included)." % (result["steps"], result["evaluation_steps"], result["repeats"]),
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
        "**Overhead: %+.1f %%** of wall time (requirement: at most 3 %%); %+.1f %% of CPU time."
        % (100 * result["overhead"], 100 * result["cpu_overhead"]),
        "The machine is shared (2 cores): single runs vary by several per cent, so compare the "
        "medians, and the CPU time, which a busy neighbour disturbs less.",
        "",
        "`legacy-compat --help`: median **%.3f s** over 10 runs (requirement: under 0.3 s; it "
        "imports no TensorFlow)." % result["help_median"],
        END,
    ]
    return "\n".join(lines)


def write_docs(section):
    text = open(DOC).read() if os.path.exists(DOC) else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
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
    args = parser.parse_args()
    result = run(args.steps, args.evaluation_steps, args.repeats)
    section = render(result)
    print(section)
    if args.write_docs:
        write_docs(section)
    return 0 if result["overhead"] <= 0.03 and result["help_median"] < 0.3 else 1


if __name__ == "__main__":
    sys.exit(main())
