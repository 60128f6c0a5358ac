"""The same graph as a legacy job, trained by a plain tf.compat.v1 Session loop (no Estimator).

    python bench/session_loop.py MODEL STEPS      (MODEL: legacy_model or resnet_model)

The baseline of bench_tf_releases.py: what TensorFlow itself does with the graph, on
whichever release runs it. On TF 2.16+ ``legacy_compat.estimator`` is imported first only
so that ``tf.estimator.EstimatorSpec``/``ModeKeys`` (what model_fn returns) exist; the loop
itself is plain ``session.run(train_op)``. Prints ``steps/sec: X`` for the steps after the
first 10 (graph warm-up).
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import legacy_compat.estimator  # noqa: E402,F401  (a no-op on TF <= 2.15)
import tensorflow as tf  # noqa: E402

WARM_UP = 10


def main(name, steps):
    v1 = tf.compat.v1
    v1.disable_v2_behavior()
    model = __import__(name)
    with v1.Graph().as_default():
        inputs = model.train_input_fn(None, {})
        if isinstance(inputs, tf.data.Dataset):
            inputs = v1.data.make_one_shot_iterator(inputs).get_next()
        features, labels = inputs
        spec = model.model_fn(features, labels, v1.estimator.ModeKeys.TRAIN, {})
        with v1.Session() as session:
            session.run([v1.global_variables_initializer(), v1.local_variables_initializer()])
            coordinator = v1.train.Coordinator()
            threads = v1.train.start_queue_runners(session, coordinator)
            for _ in range(WARM_UP):
                session.run(spec.train_op)
            start = time.perf_counter()
            for _ in range(steps - WARM_UP):
                session.run(spec.train_op)
            elapsed = time.perf_counter() - start
            coordinator.request_stop()
            coordinator.join(threads, stop_grace_period_secs=5)
    print("steps/sec: %.3f" % ((steps - WARM_UP) / elapsed))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
