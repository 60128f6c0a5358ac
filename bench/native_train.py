"""The hand-written baseline: what a person would write with plain tf.estimator.

    python bench/native_train.py MODEL_DIR TRAINING_STEPS EVALUATION_STEPS

BENCH_IMPORT_LIKE_TRAIN=1 imports TensorFlow as `legacy-compat train` does (bench_runtime.py
--startup's third runner).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

if os.environ.get("BENCH_IMPORT_LIKE_TRAIN"):
    # The same runner, TensorFlow imported the way `legacy-compat train` imports it (collector
    # paused, objects frozen): what is left of the paired difference is the rest of our code.
    from legacy_compat import tfapi  # noqa: E402
    tfapi.own_process()
    tf = tfapi.tensorflow()
else:
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
