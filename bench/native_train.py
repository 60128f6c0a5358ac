"""The hand-written baseline: what a person would write with plain tf.estimator.

    python bench/native_train.py MODEL_DIR TRAINING_STEPS EVALUATION_STEPS
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tensorflow as tf  # noqa: E402

import legacy_model  # noqa: E402


def main(model_dir, steps, eval_steps):
    v1 = tf.compat.v1
    v1.disable_v2_behavior()
    v1.logging.set_verbosity(v1.logging.INFO)
    params = {}
    config = v1.estimator.RunConfig(model_dir=model_dir, save_checkpoints_secs=300)
    estimator = v1.estimator.Estimator(
        model_fn=lambda features, labels, mode, params: legacy_model.model_fn(features, labels, mode, params),
        params=params, config=config)
    exporter = v1.estimator.LatestExporter(
        "Servo", serving_input_receiver_fn=lambda: legacy_model.serving_input_fn(params))
    train_spec = v1.estimator.TrainSpec(lambda: legacy_model.train_input_fn(None, params), max_steps=steps)
    eval_spec = v1.estimator.EvalSpec(lambda: legacy_model.eval_input_fn(None, params), steps=eval_steps,
                                      exporters=[exporter])
    v1.estimator.train_and_evaluate(estimator, train_spec, eval_spec)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
