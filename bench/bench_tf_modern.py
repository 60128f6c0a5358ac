"""TF 2.15.1 (native tf.estimator) against TF 2.21 (revived by legacy_compat.estimator).

For each example, ``legacy-compat train`` runs with the same seeds on both interpreters (twice
on the native one, to measure run-to-run spread); the final evaluation metrics are compared
within that spread plus a tolerance, and each export is loaded
in a fresh process of its own interpreter, which lists its signatures and predicts.
Then bench/legacy_model.py trains under both, alternating, and TensorFlow's own
``global_step/sec`` lines give the training speed.

    python bench/bench_tf_modern.py --native .venv/bin/python \
        --revived .nox/matrix-tf2.21.0-py3.11/bin/python [--write-docs]

The examples are seeded in a copy: the bench appends wrappers that set the graph seed
before each user function (Legacy Mode has no seed hyperparameter).
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
DOC = os.path.join(ROOT, "docs", "benchmarks.md")
BEGIN, END = "<!-- tf-modern:begin -->", "<!-- tf-modern:end -->"
SEED = 1234
RELATIVE_TOLERANCE = 0.05

EXAMPLES = [  # folder, script, builder, hyperparameters, features of a serialized tf.Example
    ("abalone", "abalone.py", "model_fn", {"learning_rate": 0.001}, None),
    ("iris_estimator", "iris_dnn.py", "estimator_fn", {}, {"inputs": 4}),
    ("keras_regressor", "keras_regressor.py", "keras_model_fn", {}, None),
]

SEEDING = {
    "model_fn": "",  # the seeded input functions run first in the same graph
    "estimator_fn": (
        "_bench_estimator_fn = estimator_fn\n"
        "def estimator_fn(run_config, hyperparameters):\n"
        "    return _bench_estimator_fn(run_config.replace(tf_random_seed=%d), hyperparameters)\n"
        % SEED),
    "keras_model_fn": (
        "_bench_keras_model_fn = keras_model_fn\n"
        "def keras_model_fn(hyperparameters):\n"
        "    tf.set_random_seed(%d)\n"
        "    return _bench_keras_model_fn(hyperparameters)\n" % SEED),
}
# The input functions run first in the Estimator's graph: seeding there fixes the shuffles
# and, for model_fn, the initialisers created after them.
SEED_INPUTS = (
    "_bench_train_input_fn, _bench_eval_input_fn = train_input_fn, eval_input_fn\n"
    "def train_input_fn(training_dir, hyperparameters):\n"
    "    tf.set_random_seed(%d)\n"
    "    return _bench_train_input_fn(training_dir, hyperparameters)\n"
    "def eval_input_fn(training_dir, hyperparameters):\n"
    "    tf.set_random_seed(%d)\n"
    "    return _bench_eval_input_fn(training_dir, hyperparameters)\n" % (SEED, SEED))

PROBE = r"""
import json, sys
import numpy as np
import tensorflow as tf
loaded = tf.saved_model.load(sys.argv[1])
out = {}
for key, fn in sorted(loaded.signatures.items()):
    spec = fn.structured_input_signature[1]
    inputs = dict((name, [s.dtype.name, s.shape.as_list()]) for name, s in sorted(spec.items()))
    outputs = dict((name, [t.dtype.name, t.shape.as_list()])
                   for name, t in sorted(fn.structured_outputs.items()))
    feed = dict((name, tf.constant(np.full([2] + [d or 1 for d in s.shape.as_list()[1:]],
                                           0.5, dtype=s.dtype.as_numpy_dtype)))
                for name, s in spec.items() if s.dtype.is_floating)
    example_features = json.loads(sys.argv[2])
    if example_features:  # a parsing receiver: serialized tf.train.Example protos
        example = tf.train.Example(features=tf.train.Features(feature=dict(
            (name, tf.train.Feature(float_list=tf.train.FloatList(value=[0.5] * size)))
            for name, size in example_features.items())))
        for name, s in spec.items():
            if s.dtype == tf.string:
                feed[name] = tf.constant([example.SerializeToString()] * 2)
    predicted = len(feed) == len(spec)
    if predicted:
        result = fn(**feed)
        predicted = all(np.all(np.isfinite(v.numpy())) for v in result.values()
                        if v.dtype.is_floating)
    out[key] = {"inputs": inputs, "outputs": outputs, "predicts": bool(predicted)}
print("SIGNATURES " + json.dumps(out, sort_keys=True))
"""


def run(command, env):
    proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.stderr.write(output[-4000:])
        raise SystemExit("failed: %s" % " ".join(command))
    return output


def tf_version(python, env):
    return run([python, "-c", "import sys, legacy_compat.estimator, tensorflow as tf; "
                "print('%s (Python %d.%d)' % ((tf.__version__,) + sys.version_info[:2]))"],
               env).strip().splitlines()[-1]


def train_example(python, env, work, folder, script, builder, params, example, steps):
    copy = os.path.join(work, folder)
    shutil.copytree(os.path.join(ROOT, "examples", folder), copy)
    path = os.path.join(copy, script)
    with open(path, "a") as handle:
        handle.write("\n\n# --- appended by bench/bench_tf_modern.py: fixed seeds ---\n")
        handle.write(SEEDING[builder] + SEED_INPUTS)
    job = os.path.join(work, folder + "-job")
    hps = dict(params, training_steps=steps, evaluation_steps=10, save_checkpoints_steps=steps)
    output = run([python, "-m", "legacy_compat", "train", path, "--channel",
                  os.path.join(copy, "data"), "--job-dir", job,
                  "--hyperparameters", json.dumps(hps)], env)
    saved = re.findall(r"Saving dict for global step \d+: (.*)", output)
    metrics = {}
    for item in saved[-1].split(", "):
        key, _, value = item.partition(" = ")
        try:
            metrics[key] = float(value)
        except ValueError:
            pass
    export_root = os.path.join(job, "model", "export", "Servo")
    export = os.path.join(export_root, sorted(os.listdir(export_root))[-1])
    probe = run([python, "-c", PROBE, export, json.dumps(example)], env)
    signatures = json.loads(probe.split("SIGNATURES ", 1)[1].splitlines()[0])
    return metrics, signatures


def steps_per_second(python, env, work, tag, steps):
    job = os.path.join(work, "speed-" + tag)
    hps = {"training_steps": steps, "evaluation_steps": 5, "log_step_count_steps": 500}
    output = run([python, "-m", "legacy_compat", "train", os.path.join(HERE, "legacy_model.py"),
                  "--job-dir", job, "--hyperparameters", json.dumps(hps)], env)
    shutil.rmtree(job, ignore_errors=True)
    rates = [float(r) for r in re.findall(r"global_step/sec: ([\d.]+)", output)]
    return statistics.median(rates[1:] or rates)  # the first window includes graph start-up


def summary(rates):
    # On a shared machine a neighbour only ever slows a run down: the best run is the
    # least disturbed estimate, the median the typical one.
    return statistics.median(rates), max(rates)


def compare(native, again, revived):
    """Revived may differ from native by what native differs from itself, plus the tolerance.

    Legacy Mode input functions (numpy_input_fn's queue threads, dataset shuffles) are not
    bit-reproducible even with fixed seeds, so a second native run measures that spread.
    """
    rows, ok = [], True
    for key in sorted(set(native) & set(revived) & set(again)):
        if key == "global_step":
            continue
        a, b = native[key], revived[key]
        allowed = abs(again[key] - a) + RELATIVE_TOLERANCE * abs(a)
        ok = ok and abs(b - a) <= allowed
        rows.append((key, a, again[key], b, abs(b - a), allowed))
    return rows, ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--native", required=True, help="python with TF 2.15 (native)")
    parser.add_argument("--revived", required=True, help="python with TF 2.16+ (revived)")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--speed-steps", type=int, default=4000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="2")
    pythons = {"native": args.native, "revived": args.revived}
    versions = dict((k, tf_version(p, env)) for k, p in pythons.items())
    work = tempfile.mkdtemp(prefix="lc-tf-modern-")
    lines = [BEGIN, "## TF 2.15 native against TF %s revived" % versions["revived"], "",
             "`python bench/bench_tf_modern.py --write-docs`: the examples trained by "
             "`legacy-compat train` for %d steps with the same seeds (%d) on TF %s "
             "(native `tf.estimator`) and TF %s (`legacy_compat.estimator`); each export "
             "loaded and run in a fresh process. The input functions are not bit-reproducible "
             "(numpy_input_fn's queue threads), so native runs twice: a final evaluation metric "
             "passes when |revived - native| <= |native again - native| + %d %% of native."
             % (args.steps, SEED, versions["native"], versions["revived"],
                int(RELATIVE_TOLERANCE * 100)), "",
             "| example | metric | TF %s | TF %s again | TF %s | difference | allowed |" % (
                 versions["native"], versions["native"], versions["revived"]),
             "|---|---|---|---|---|---|---|"]
    verdicts = []
    try:
        for folder, script, builder, params, example in EXAMPLES:
            results = {}
            for kind in ("native", "revived", "native-again"):
                python = pythons[kind.split("-")[0]]
                results[kind] = train_example(python, env, os.path.join(work, kind), folder,
                                              script, builder, params, example, args.steps)
            rows, ok = compare(results["native"][0], results["native-again"][0],
                               results["revived"][0])
            for key, a, again, b, difference, allowed in rows:
                lines.append("| %s | %s | %.4f | %.4f | %.4f | %.4f | %.4f |" % (
                    folder, key, a, again, b, difference, allowed))
            same = results["native"][1] == results["revived"][1] == results["native-again"][1]
            predicts = all(s["predicts"] for r in results.values() for s in r[1].values())
            verdicts.append((folder, ok, same, predicts))
        speeds = {"native": [], "revived": []}
        for index in range(args.repeats):
            order = ("native", "revived") if index % 2 == 0 else ("revived", "native")
            for kind in order:
                speeds[kind].append(steps_per_second(pythons[kind], env, work,
                                                     "%s-%d" % (kind, index), args.speed_steps))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines += ["", "| example | metrics within tolerance | same signatures | exports load and "
              "predict in a fresh process |", "|---|---|---|---|"]
    for folder, ok, same, predicts in verdicts:
        lines.append("| %s | %s | %s | %s |" % (folder, "yes" if ok else "**no**",
                                                "yes" if same else "**no**",
                                                "yes" if predicts else "**no**"))
    native_speed, native_best = summary(speeds["native"])
    revived_speed, revived_best = summary(speeds["revived"])
    lines += ["", "Training speed, bench/legacy_model.py for %d steps under `legacy-compat train`, "
              "%d runs each alternating, median of TensorFlow's `global_step/sec` "
              "(the first logging window left out):" % (args.speed_steps, args.repeats), "",
              "| TF | steps per second (median) | best run | runs |", "|---|---|---|---|",
              "| %s native | %.1f | %.1f | %s |" % (
                  versions["native"], native_speed, native_best,
                  ", ".join("%.1f" % s for s in speeds["native"])),
              "| %s revived | %.1f | %.1f | %s |" % (
                  versions["revived"], revived_speed, revived_best,
                  ", ".join("%.1f" % s for s in speeds["revived"])),
              "", "**Revived / native: %+.1f %% (medians), %+.1f %% (best runs)** (goal: within "
              "5 %%)." % (100 * (revived_speed / native_speed - 1),
                         100 * (revived_best / native_best - 1)), END]
    section = "\n".join(lines)
    print(section)
    if args.write_docs:
        text = open(DOC).read()
        if BEGIN in text and END in text:
            head, _, rest = text.partition(BEGIN)
            text = head + section + rest.partition(END)[2]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        with open(DOC, "w") as handle:
            handle.write(text)
    return 0 if all(ok and same and predicts for _, ok, same, predicts in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
