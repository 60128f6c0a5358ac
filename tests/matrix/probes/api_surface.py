"""Print which TensorFlow APIs the installed release has, one JSON object per line.

Run with the interpreter of a matrix cell, e.g.
    .nox/matrix-tf1.4.1-py2.7/bin/python tests/matrix/probes/api_surface.py
The output fed tests/matrix/QUIRKS.md; tests/matrix/test_quirks.py asserts the same facts.
Python 2.7 compatible.
"""
from __future__ import print_function

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

NAMES = [
    "compat.v1",
    "contrib",
    "contrib.learn.Experiment",
    "contrib.learn.learn_runner.run",
    "contrib.learn.RunConfig",
    "contrib.learn.utils.saved_model_export_utils.make_export_strategy",
    "contrib.training.HParams",
    "contrib.data.Dataset",
    "contrib.data.TFRecordDataset",
    "data.Dataset",
    "data.TFRecordDataset",
    "data.experimental",
    "estimator.Estimator.export_savedmodel",
    "estimator.Estimator.export_saved_model",
    "estimator.train_and_evaluate",
    "estimator.TrainSpec",
    "estimator.EvalSpec",
    "estimator.Exporter",
    "estimator.LatestExporter",
    "estimator.FinalExporter",
    "estimator.BestExporter",
    "estimator.RunConfig",
    "estimator.inputs.numpy_input_fn",
    "compat.v1.estimator.inputs.numpy_input_fn",
    "estimator.export.ServingInputReceiver",
    "estimator.export.TensorServingInputReceiver",
    "estimator.export.build_parsing_serving_input_receiver_fn",
    "estimator.export.build_raw_serving_input_receiver_fn",
    "estimator.export.PredictOutput",
    "train.get_or_create_global_step",
    "compat.v1.train.get_or_create_global_step",
    "train.get_global_step",
    "train.Server",
    "distribute.Server",
    "keras.estimator.model_to_estimator",
    "saved_model.loader.load",
    "compat.v1.saved_model.loader.load",
    "logging.set_verbosity",
    "gfile.Exists",
    "io.gfile.exists",
    "placeholder",
    "get_variable",
    "Session",
]


def lookup(root, dotted):
    obj = root
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def main():
    import legacy_compat.estimator  # noqa: F401  (TF 2.16+: revives tf.estimator; no-op before)
    import tensorflow as tf

    print(json.dumps({"tf": tf.__version__, "python": "%d.%d" % sys.version_info[:2]}))
    for name in NAMES:
        try:
            lookup(tf, name)
            found, error = True, None
        except Exception as exc:  # AttributeError, ImportError from lazy loaders
            found, error = False, "%s: %s" % (type(exc).__name__, exc)
        print(json.dumps({"name": "tf." + name, "found": found, "error": error}))


if __name__ == "__main__":
    main()
