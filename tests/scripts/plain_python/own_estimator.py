# A script that runs its own Estimator with `import legacy_compat.patch`, as a user of an old
# container would, and uses plain Python around it: it imports the legacy script and its helper
# (both run their checks at import), repeats the helper's checks on its own objects, and its
# input function reads the CSV with the built-in open().
#     python own_estimator.py DATA_DIR MODEL_DIR
import sys

import legacy_compat.patch  # noqa: F401 (activates on import)
import tensorflow as tf

import plain_helpers
import plain_python  # noqa: F401 (checks itself at import)

v1 = tf.compat.v1 if hasattr(getattr(tf, "compat", None), "v1") else tf


def model_fn(features, labels, mode, params):
    w = v1.get_variable("w", [7, 1], initializer=v1.zeros_initializer())
    predictions = tf.reshape(tf.matmul(features["x"], w), [-1])
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"ages": predictions})
    loss = v1.losses.mean_squared_error(labels, predictions)
    train_op = v1.train.GradientDescentOptimizer(0.01).minimize(
        loss, global_step=v1.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def main(data_dir, model_dir):
    plain_helpers.report(globals(), model_fn, plain_helpers.Scaler(3.0), plain_helpers.countdown)

    def input_fn():
        with open(data_dir + "/training_dataset.csv") as handle:
            rows = [[float(cell) for cell in line.split(",")] for line in handle if line.strip()]
        return {"x": tf.constant([row[:7] for row in rows])}, tf.constant([row[7] for row in rows])

    estimator = v1.estimator.Estimator(model_fn, model_dir=model_dir)
    estimator.train(input_fn, steps=5)
    metrics = estimator.evaluate(input_fn, steps=1)
    sys.stdout.write("PLAIN-PYTHON trained to step %d\n" % metrics["global_step"])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
