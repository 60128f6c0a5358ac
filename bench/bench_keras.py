"""`legacy-compat train` (the Estimator) against the `convert --target keras` conversion.

Parity: each example (one per kind: model_fn, premade estimator_fn, keras_model_fn) trains
the same steps on the same data under `legacy-compat train` (TF 2.15, once per seed: the
Estimator's own run-to-run spread) and as its Keras conversion (tests/convert/keras/golden, on
a Python with TensorFlow 2.16+ alone); a final evaluation metric passes when it lies within
the Estimator runs' range widened by 10 % of their mean.
Speed: bench/legacy_model.py spelled as a TF 1.x script (`import tensorflow as tf`) trains
under `legacy-compat train` and as its Keras conversion, alternating; TensorFlow's
`global_step/sec` lines against keras_job's `steps/s` lines (first window left out).

    python bench/bench_keras.py --estimator .venv/bin/python \
        --keras .nox/matrix-tf2.21.0-keras-py3.13/bin/python [--write-docs]
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

import bench_tf_modern as modern

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GOLDEN = os.path.join(ROOT, "tests", "convert", "keras", "golden")
BEGIN, END = "<!-- keras-target:begin -->", "<!-- keras-target:end -->"
RELATIVE_TOLERANCE = 0.10
# Keras' name for a metric -> the Estimator's (model_to_estimator named Keras 2's "mae" so).
SAME_METRIC = {"mae": "mean_absolute_error"}
GOLDEN_OF = {"abalone": "abalone.py", "iris_estimator": "iris_dnn.py",
             "keras_regressor": "keras_regressor.py"}


def run(command, env, cwd=None):
    proc = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    output = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.stderr.write(output[-4000:])
        raise SystemExit("failed: %s" % " ".join(command))
    return output


def keras_env(job, data, hps):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SM_", "PYTHON"))}
    env.update({"SM_CHANNELS": '["training"]', "SM_CHANNEL_TRAINING": data,
                "SM_MODEL_DIR": os.path.join(job, "model"),
                "SM_OUTPUT_DIR": os.path.join(job, "output"),
                "SM_OUTPUT_DATA_DIR": os.path.join(job, "output", "data"),
                "SM_HPS": json.dumps(hps), "TF_CPP_MIN_LOG_LEVEL": "2"})
    return env


def seeded_copy(work, name, script_text):
    """The converted script with Keras' global seed set after its imports."""
    code = os.path.join(work, "code-" + name)
    os.makedirs(code)
    shutil.copy(os.path.join(GOLDEN, "keras_job.py"), code)
    seeded = script_text.replace("import keras_job\n", "import keras_job\n\n"
                                 "keras.utils.set_random_seed(%d)  # bench_keras.py\n"
                                 % modern.SEED, 1)
    path = os.path.join(code, name)
    with open(path, "w") as handle:
        handle.write(seeded)
    return path


def train_keras(python, work, folder, params, steps):
    name = GOLDEN_OF[folder]
    with open(os.path.join(GOLDEN, name)) as handle:
        path = seeded_copy(work, name, handle.read())
    job = os.path.join(work, folder + "-keras-job")
    hps = dict(params, training_steps=steps, evaluation_steps=10)
    run([python, path, "--model_dir", os.path.join(job, "checkpoints")],
        keras_env(job, os.path.join(ROOT, "examples", folder, "data"), hps), cwd=work)
    with open(os.path.join(job, "output", "data", "eval_metrics.json")) as handle:
        metrics = json.load(handle)
    return {SAME_METRIC.get(key, key): value for key, value in metrics.items()}


def estimator_run(args, env, work, kind, seed, folder, script, builder, params, example):
    """bench_tf_modern's seeded `legacy-compat train` run, with ``seed`` as the graph seed:
    the second Estimator run draws other initial weights and shuffles, as Keras does."""
    saved = modern.SEEDING, modern.SEED_INPUTS
    same, other = str(modern.SEED), str(seed)
    modern.SEEDING = {key: text.replace(same, other) for key, text in modern.SEEDING.items()}
    modern.SEED_INPUTS = modern.SEED_INPUTS.replace(same, other)
    try:
        return modern.train_example(args.estimator, env, os.path.join(work, kind), folder,
                                    script, builder, params, example, args.steps)[0]
    finally:
        modern.SEEDING, modern.SEED_INPUTS = saved


def compare(estimator, keras):
    """Each metric: within the Estimator runs' range widened by the tolerance."""
    rows, ok = [], True
    for key in sorted(set(keras).intersection(*estimator)):
        if key == "global_step":
            continue
        values = [run[key] for run in estimator]
        margin = RELATIVE_TOLERANCE * abs(statistics.mean(values))
        low, high = min(values) - margin, max(values) + margin
        ok = ok and low <= keras[key] <= high
        rows.append((key, values, keras[key], low, high))
    return rows, ok


def speed_script(work):
    """bench/legacy_model.py as a TF 1.x user wrote it: `import tensorflow as tf`."""
    with open(os.path.join(HERE, "legacy_model.py")) as handle:
        text = handle.read()
    text = text.replace("import tensorflow as _tf\n", "import tensorflow as tf\n").replace(
        "\ntf = _tf.compat.v1\n", "\n")
    path = os.path.join(work, "legacy_model_tf1.py")
    with open(path, "w") as handle:
        handle.write(text)
    return path


def speeds(args, env, work, repeats):
    script = speed_script(work)
    converted = os.path.join(work, "keras-speed", "legacy_model_tf1.py")
    run([args.estimator, "-m", "legacy_compat", "convert", "--target", "keras", script, "-o",
         converted], env)
    rates = {"estimator": [], "keras": []}
    hps = {"training_steps": args.speed_steps, "evaluation_steps": 5,
           "log_step_count_steps": 500}
    for index in range(repeats):
        order = ("estimator", "keras") if index % 2 == 0 else ("keras", "estimator")
        for kind in order:
            job = os.path.join(work, "speed-%s-%d" % (kind, index))
            if kind == "estimator":
                output = run([args.estimator, "-m", "legacy_compat", "train", script,
                              "--job-dir", job, "--hyperparameters", json.dumps(hps)], env)
                found = re.findall(r"global_step/sec: ([\d.]+)", output)
            else:
                output = run([args.keras, converted, "--model_dir", os.path.join(job, "ckpt")],
                             keras_env(job, work, hps), cwd=work)
                found = re.findall(r"\(([\d.]+) steps/s\)", output)
            values = [float(r) for r in found]
            rates[kind].append(statistics.median(values[1:] or values))
            shutil.rmtree(job, ignore_errors=True)
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estimator", required=True, help="python with legacy-compat, TF 2.15")
    parser.add_argument("--keras", required=True, help="python with TensorFlow 2.16+ alone")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--seeds", type=int, default=3, help="Estimator runs per example")
    parser.add_argument("--speed-steps", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="2")
    estimator_tf = modern.tf_version(args.estimator, env)
    keras_tf = run([args.keras, "-c", "import sys, tensorflow as tf, keras; print('%s, Keras %s "
                    "(Python %d.%d)' % ((tf.__version__, keras.__version__) + "
                    "sys.version_info[:2]))"], env).strip().splitlines()[-1]
    work = tempfile.mkdtemp(prefix="lc-keras-")
    lines = [BEGIN, "## `legacy-compat train` (Estimator) against `convert --target keras`", "",
             "`python bench/bench_keras.py --write-docs`: each example trained %d steps by "
             "`legacy-compat train` on TF %s %d times, with graph seeds %d, %d, ..., and by its "
             "Keras conversion (`tests/convert/keras/golden`) with `keras.utils."
             "set_random_seed(%d)` on TF %s; final evaluation over 10 batches. Two frameworks "
             "cannot draw the same initial weights and shuffles, so the tolerance is the "
             "Estimator's own run-to-run spread across seeds: a metric passes when the Keras "
             "value lies within the range of the Estimator runs widened by %d %% of their mean."
             % (args.steps, estimator_tf, args.seeds, modern.SEED, modern.SEED + 1, modern.SEED,
                keras_tf, int(RELATIVE_TOLERANCE * 100)),
             "", "| example | metric | Estimator runs | Keras | allowed | within |",
             "|---|---|---|---|---|---|"]
    verdicts = []
    try:
        for folder, script, builder, params, example in modern.EXAMPLES:
            estimator = [estimator_run(args, env, work, "estimator-%d" % seed, seed, folder,
                                       script, builder, params, example)
                         for seed in range(modern.SEED, modern.SEED + args.seeds)]
            keras = train_keras(args.keras, work, folder, params, args.steps)
            rows, ok = compare(estimator, keras)
            for key, values, b, low, high in rows:
                lines.append("| %s | %s | %s | %.4f | %.4f ... %.4f | %s |" % (
                    folder, key, ", ".join("%.4f" % v for v in values), b, low, high,
                    "yes" if low <= b <= high else "**no**"))
            verdicts.append((folder, ok))
        rates = speeds(args, env, work, args.repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines += ["", "| example | metrics within tolerance |", "|---|---|"]
    lines += ["| %s | %s |" % (folder, "yes" if ok else "**no**") for folder, ok in verdicts]
    estimator_speed, keras_speed = (statistics.median(rates[k]) for k in ("estimator", "keras"))
    lines += ["", "Training speed, bench/legacy_model.py (`import tensorflow as tf`) for %d "
              "steps, %d runs each alternating; median of TensorFlow's `global_step/sec` "
              "(Estimator) and of keras_job's `steps/s` (Keras), first window left out:"
              % (args.speed_steps, args.repeats), "",
              "| runner | steps per second (median) | runs |", "|---|---|---|",
              "| `legacy-compat train`, TF %s | %.1f | %s |" % (
                  estimator_tf, estimator_speed, ", ".join("%.1f" % r
                                                           for r in rates["estimator"])),
              "| Keras conversion, TF %s | %.1f | %s |" % (
                  keras_tf, keras_speed, ", ".join("%.1f" % r for r in rates["keras"])),
              "", "**Keras / Estimator: %+.1f %% (medians).**"
              % (100 * (keras_speed / estimator_speed - 1)), END]
    section = "\n".join(lines)
    print(section)
    if args.write_docs:
        text = open(modern.DOC).read()
        if BEGIN in text and END in text:
            head, _, rest = text.partition(BEGIN)
            text = head + section + rest.partition(END)[2]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        with open(modern.DOC, "w") as handle:
            handle.write(text)
    return 0 if all(ok for _, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
