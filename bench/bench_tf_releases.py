"""TF 2.15 native against TF 2.21 revived, split into TensorFlow's own difference and ours.

    python bench/bench_tf_releases.py [--native PY] [--revived PY] [--repeats 2]
        [--mlp-steps 2000] [--resnet-steps 60]

For each model (bench/legacy_model.py, an MLP; bench/resnet_model.py, ResNet-style with batch
normalization) and each interpreter (TF 2.15 with its own tf.estimator; TF 2.21 with the
estimator revived by legacy_compat.estimator), two runners train the same graph:

* ``legacy-compat train`` (speed: TensorFlow's ``global_step/sec`` lines, first window left
  out), and
* bench/session_loop.py, a plain ``tf.compat.v1`` Session loop (no Estimator, no view).

TF's own difference is session(2.21) / session(2.15); ours is what is left:
[legacy(2.21) / session(2.21)] / [legacy(2.15) / session(2.15)]. Each run is a fresh child
process, the interpreters alternate; peak memory is each child's maximum resident set.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REVIVED = "/work/main/.nox/matrix-tf2.21.0-py3.13/bin/python"
MODELS = {"mlp": "legacy_model", "resnet": "resnet_model"}
# Runs the command and reports its peak resident memory (this wrapper's only child).
MEASURE = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
           "print('MAXRSS %d' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
           "sys.exit(code)")


def _run(python, command, env):
    result = subprocess.run([python, "-c", MEASURE] + command, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:])
        raise SystemExit("benchmark run failed: %s" % " ".join(command))
    rss = int(re.findall(r"MAXRSS (\d+)", result.stdout)[-1]) / 1024.0
    return result.stdout, rss


def legacy(python, model, steps, env, work):
    job = tempfile.mkdtemp(dir=work)
    hps = {"training_steps": steps, "evaluation_steps": 1,
           "log_step_count_steps": max(5, steps // 10)}
    out, rss = _run(python, [python, "-m", "legacy_compat", "train",
                             os.path.join(HERE, model + ".py"), "--job-dir", job,
                             "--hyperparameters", json.dumps(hps)], env)
    shutil.rmtree(job, ignore_errors=True)
    rates = [float(r) for r in re.findall(r"global_step/sec: ([0-9.]+)", out)][1:]
    if not rates:
        raise SystemExit("no global_step/sec lines from %s %s" % (python, model))
    return statistics.median(rates), rss


def session(python, model, steps, env):
    out, rss = _run(python, [python, os.path.join(HERE, "session_loop.py"), model, str(steps)],
                    env)
    return float(re.findall(r"steps/sec: ([0-9.]+)", out)[-1]), rss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--native", default=sys.executable)
    parser.add_argument("--revived", default=REVIVED)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--mlp-steps", type=int, default=2000)
    parser.add_argument("--resnet-steps", type=int, default=60)
    parser.add_argument("--models", default="mlp,resnet")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="2")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    work = tempfile.mkdtemp(prefix="bench-tf-releases-")
    pythons = {"2.15 native": args.native, "2.21 revived": args.revived}
    results = {}
    print("load average at the start: %.1f, %.1f, %.1f" % os.getloadavg())
    try:
        for index in range(args.repeats):
            for name in args.models.split(","):
                steps = args.mlp_steps if name == "mlp" else args.resnet_steps
                order = list(pythons) if index % 2 == 0 else list(reversed(list(pythons)))
                for release in order:
                    python = pythons[release]
                    for runner in ("legacy", "session"):
                        if runner == "legacy":
                            rate, rss = legacy(python, MODELS[name], steps, env, work)
                        else:
                            rate, rss = session(python, MODELS[name], steps, env)
                        results.setdefault((name, release, runner), []).append((rate, rss))
                        print("%s %s %s: %.2f steps/s, peak %.0f MiB" % (name, release, runner,
                                                                          rate, rss), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("load average at the end: %.1f, %.1f, %.1f" % os.getloadavg())
    print("\n| model | TF | runner | steps/s (median; runs) | peak memory (median) |")
    print("|---|---|---|---|---|")
    med = {}
    for key, values in sorted(results.items()):
        rates = [v[0] for v in values]
        med[key] = (statistics.median(rates), statistics.median(v[1] for v in values))
        print("| %s | %s | %s | %.2f (%s) | %.0f MiB |" % (
            key[0], key[1], "legacy-compat train" if key[2] == "legacy" else "session loop",
            med[key][0], ", ".join("%.2f" % r for r in rates), med[key][1]))
    print()
    for name in args.models.split(","):
        try:
            own = med[(name, "2.21 revived", "session")][0] / med[(name, "2.15 native", "session")][0]
            ours = ((med[(name, "2.21 revived", "legacy")][0] / med[(name, "2.21 revived", "session")][0])
                    / (med[(name, "2.15 native", "legacy")][0] / med[(name, "2.15 native", "session")][0]))
            total = med[(name, "2.21 revived", "legacy")][0] / med[(name, "2.15 native", "legacy")][0]
            memory = med[(name, "2.21 revived", "legacy")][1] / med[(name, "2.15 native", "legacy")][1]
            memory_own = (med[(name, "2.21 revived", "session")][1]
                          / med[(name, "2.15 native", "session")][1])
        except KeyError:
            continue
        print("%s: speed 2.21 revived / 2.15 native %.3f = TF's own %.3f x ours %.3f; "
              "peak memory %.3f (session loops alone: %.3f)" % (name, total, own, ours, memory,
                                                                 memory_own))
    return 0


if __name__ == "__main__":
    sys.exit(main())
