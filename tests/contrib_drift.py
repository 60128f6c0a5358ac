"""Run tests/fixtures/contrib_probe/train.py and say what its user observes (Python 2.7 too).

Used by tests/e2e/test_contrib_drift.py (TF 2.15: `legacy-compat train` and the converted
script), tests/matrix/test_contrib_reference.py (real TF 1.10.1) and, to record the
reference, ``python tests/contrib_drift.py record`` run in the TF 1.10.1 cell.
"""
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCRIPT = os.path.join(HERE, "fixtures", "contrib_probe", "train.py")
REFERENCE = os.path.join(HERE, "fixtures", "contrib_reference.json")
CASES = {"constant_rate": {}, "decaying_rate": {"decay": True}}
STEPS = 4


def write_channel(directory):
    """The probe's training channel: CSV files with and without header, one bad header."""
    if not os.path.isdir(directory):
        os.makedirs(directory)
    rows = ["1.0,2.0,3.0", "2.0,1.0,4.0", "0.5,0.5,1.0", "1.5,2.5,2.0"]
    files = {"with_header.csv": "4,2,a,b\n" + "\n".join(rows) + "\n",
             "without_header.csv": "\n".join(rows) + "\n",
             "bad_header.csv": "x,y\n" + "\n".join(rows) + "\n"}
    for name, text in files.items():
        with open(os.path.join(directory, name), "w") as handle:
            handle.write(text)
    return directory


def hyperparameters(case, record):
    return dict(CASES[case], record=record, training_steps=STEPS, evaluation_steps=1)


def train_command(python, case, workdir):
    """`legacy-compat train` of the probe; returns (argv, record path, model dir)."""
    record = os.path.join(workdir, "record.jsonl")
    argv = [python, "-m", "legacy_compat", "train", SCRIPT, "-q",
            "--channel", write_channel(os.path.join(workdir, "data")),
            "--job-dir", os.path.join(workdir, "job"),
            "--hyperparameters", json.dumps(hyperparameters(case, record))]
    return argv, record, os.path.join(workdir, "job", "model")


def run_train(python, case, workdir):
    argv, record, model_dir = train_command(python, case, workdir)
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="")
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                               cwd=workdir)
    output = process.communicate()[0]
    assert process.returncode == 0, output[-4000:]
    return record, model_dir


def summary_tags(model_dir, summary_iterator):
    """The scalar tags optimize_loss and Estimator wrote during training (not evaluation)."""
    tags = set()
    for path in glob.glob(os.path.join(model_dir, "events.out.tfevents.*")):
        for event in summary_iterator(path):
            for value in event.summary.value:
                if value.HasField("simple_value"):
                    tags.add(value.tag)
    return sorted(tag for tag in tags if tag.startswith("OptimizeLoss/") or tag == "loss")


def observe(record, model_dir, summary_iterator, load_variable):
    """What the user of the probe sees."""
    with open(record) as handle:
        seen = {}
        for line in handle:
            seen.update(json.loads(line))
    checkpoint = os.path.join(model_dir, "model.ckpt-%d" % STEPS)
    seen["summary_tags"] = summary_tags(model_dir, summary_iterator)
    seen["frozen_after_training"] = float(load_variable(checkpoint, "frozen")[0])
    seen["global_step"] = int(load_variable(checkpoint, "global_step"))
    return seen


def record_reference(workdir):
    """Run the probe on the installed (real TF 1.10.1) TensorFlow; write REFERENCE."""
    import tensorflow as tf
    reference = {"tensorflow": tf.__version__, "cases": {}}
    for case in sorted(CASES):
        directory = os.path.join(workdir, case)
        os.makedirs(directory)
        record, model_dir = run_train(sys.executable, case, directory)
        reference["cases"][case] = observe(record, model_dir, tf.train.summary_iterator,
                                           tf.train.load_variable)
    with open(REFERENCE, "w") as handle:
        json.dump(reference, handle, indent=1, sort_keys=True, separators=(",", ": "))
        handle.write("\n")
    return reference


if __name__ == "__main__" and sys.argv[1:] == ["record"]:
    import tempfile
    print(json.dumps(record_reference(tempfile.mkdtemp(prefix="contrib-reference-")),
                     indent=1, sort_keys=True))
