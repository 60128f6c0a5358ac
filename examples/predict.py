"""Load the newest SavedModel a job exported and make one prediction with it.

    python examples/predict.py JOB_DIR

This is what TensorFlow Serving would do with model/export/Servo/<timestamp>.
"""

import os
import sys

import numpy as np


def main(job_dir):
    base = os.path.join(job_dir, "model", "export", "Servo")
    versions = sorted((name for name in os.listdir(base) if name.isdigit()), key=int)
    export = os.path.join(base, versions[-1])
    import tensorflow as tf
    predict = tf.saved_model.load(export).signatures["serving_default"]
    shell = np.array([[0.45, 0.35, 0.12, 0.5, 0.6, 0.3, 0.4]], dtype=np.float32)
    ages = predict(inputs=tf.constant(shell))["ages"].numpy()
    print("export: %s" % export)
    print("prediction for shell %s: %.1f rings" % ([round(float(v), 2) for v in shell[0]], ages[0]))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "legacy-compat-job")
