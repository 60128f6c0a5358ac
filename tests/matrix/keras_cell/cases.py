"""The scripts the Keras-only cell runs: golden conversions (tests/convert/keras/golden) of the
project's examples and fixtures, each with its data and, for a parsing serving signature, the
features of a serialized tf.train.Example request (a size: that many floats 0.5; a list: those
values). Plain Python: legacy_exports.py imports it on the default venv, the cell's tests on
TF 2.21 alone."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
GOLDEN = os.path.join(ROOT, "tests", "convert", "keras", "golden")

# golden script -> (original script, data directory, hyperparameters, tf.Example features)
CASES = {
    "abalone.py": ("examples/abalone/abalone.py", "examples/abalone/data",
                   {"learning_rate": 0.001}, None),
    "iris_dnn.py": ("examples/iris_estimator/iris_dnn.py", "examples/iris_estimator/data", {},
                    {"inputs": 4}),
    "keras_regressor.py": ("examples/keras_regressor/keras_regressor.py",
                           "examples/keras_regressor/data", {}, None),
    "estimator_fn_columns.py": ("tests/fixtures/convert/estimator_fn_columns/train.py",
                                "examples/iris_estimator/data", {},  # its data is in the script
                                {"age": [30.0], "workclass": ["state"], "occupation": ["b"],
                                 "rooms": [2]}),
    "model_fn_optimize_loss.py": ("tests/fixtures/convert/model_fn_optimize_loss/train.py",
                                  "examples/abalone/data", {"learning_rate": 0.001}, None),
    "keras_model_fn.py": ("tests/fixtures/convert/keras_model_fn/train.py",
                          "examples/iris_estimator/data", {}, None),
    # numpy_input_fn(shuffle=<a variable>) in a helper
    "keras_int_labels.py": ("tests/fixtures/scripts/keras_int_labels.py",
                            "examples/abalone/data", {}, None),
    # a queue reader (training) and a one-shot iterator in a helper (evaluation)
    "queue_reader.py": ("tests/convert/keras/fixtures/queue_reader/train.py",
                        "tests/convert/keras/fixtures/queue_reader/data", {}, None),
    "iris_towers.py": ("tests/convert/keras/fixtures/iris_towers/train.py",
                       "examples/iris_estimator/data", {"learning_rate": 0.01}, None),
    "iris_cnn.py": ("tests/convert/keras/fixtures/iris_cnn/train.py",
                    "examples/iris_estimator/data", {"learning_rate": 0.05}, None),
    "iris_wide_deep.py": ("tests/convert/keras/fixtures/iris_wide_deep/train.py",
                          "examples/iris_estimator/data", {}, {"inputs": 4}),
    # tf.feature_column.input_layer in a model_fn; the vocabulary file is in the channel
    "vocabulary_columns.py": ("tests/convert/keras/fixtures/vocabulary_columns/train.py",
                              "tests/convert/keras/fixtures/vocabulary_columns/data",
                              {"learning_rate": 0.05}, None),
    "vocabulary_skip.py": ("tests/convert/keras/fixtures/vocabulary_columns/skip.py",
                           "tests/convert/keras/fixtures/vocabulary_columns/data",
                           {"learning_rate": 0.05}, None),
    # input functions and serving_input_fn copied from tiny_model.py beside the script
    "keras_tf1_optimizer.py": ("tests/fixtures/scripts/keras_tf1_optimizer.py",
                               "examples/abalone/data", {}, None),
    "python_keras.py": ("tests/fixtures/scripts/python_keras.py", "examples/abalone/data", {},
                        None),
    # tiny_model.py's model_fn, which takes features as a dict or a tensor; print statements
    "py2_syntax.py": ("tests/fixtures/scripts/py2_syntax.py", "examples/abalone/data",
                      {"learning_rate": 0.001}, None),
    # input functions returning numpy arrays, each the same whole batch at every step
    "numpy_arrays.py": ("tests/fixtures/scripts/numpy_arrays.py", "examples/abalone/data",
                        {"learning_rate": 0.001}, None),
    # tiny_model.py's model_fn without a serving_input_fn: trained and evaluated, not exported
    "no_serving_input_fn.py": ("tests/fixtures/scripts/no_serving_input_fn.py",
                               "examples/abalone/data", {"learning_rate": 0.001}, None),
    # tf.app.flags (absl's flags in the Keras script): the CSV name is a flag's default
    "app_flags.py": ("tests/fixtures/scripts/app_flags.py", "examples/abalone/data",
                     {"learning_rate": 0.001}, None),
    # a keras_model_fn fed float64 numpy arrays (cast by Keras, as by the Estimator on TF 2)
    "keras_float64.py": ("tests/fixtures/scripts/keras_float64.py", "examples/abalone/data", {},
                         None),
    # TF 1.4/1.5 style: input functions and serving_input_fn return functions uncalled
    "returns_callables.py": ("tests/fixtures/scripts/returns_callables.py",
                             "examples/abalone/data", {"learning_rate": 0.001}, None),
}
# the cases whose script has no serving_input_fn: neither Legacy Mode nor Keras exports
NOT_EXPORTED = {"no_serving_input_fn.py"}
STEPS = {"training_steps": 60, "evaluation_steps": 5}
