"""The converted scripts kept under golden/: what `convert --target keras` writes for the
project's examples and fixtures. The Keras-only matrix cell runs them (tests/matrix/keras_cell),
test_golden.py checks the converter still writes them. After changing the converter:

    PYTHONPATH=. python -m tests.convert.keras.golden     # rewrites golden/
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
GOLDEN = os.path.join(HERE, "golden")

# golden name -> (source script, relative to the repository)
SOURCES = {
    "abalone.py": "examples/abalone/abalone.py",
    "iris_dnn.py": "examples/iris_estimator/iris_dnn.py",
    "keras_regressor.py": "examples/keras_regressor/keras_regressor.py",
    "keras_model_fn.py": "tests/fixtures/convert/keras_model_fn/train.py",
    "estimator_fn_dataset.py": "tests/fixtures/convert/estimator_fn_dataset/train.py",
    "estimator_fn_columns.py": "tests/fixtures/convert/estimator_fn_columns/train.py",
    "model_fn_optimize_loss.py": "tests/fixtures/convert/model_fn_optimize_loss/train.py",
    "keras_int_labels.py": "tests/fixtures/scripts/keras_int_labels.py",
    "queue_reader.py": "tests/convert/keras/fixtures/queue_reader/train.py",
    # a network that is not a chain, batch norm, dropout, hand-written clipping
    "iris_towers.py": "tests/convert/keras/fixtures/iris_towers/train.py",
    # TensorFlow's tutorial layout: conv layers, a TRAIN branch, metrics on predictions[key]
    "iris_cnn.py": "tests/convert/keras/fixtures/iris_cnn/train.py",
    # a premade wide & deep model: two optimizers
    "iris_wide_deep.py": "tests/convert/keras/fixtures/iris_wide_deep/train.py",
    # a model_fn over tf.feature_column.input_layer, its columns from a helper, a vocabulary
    # file found at run time
    "vocabulary_columns.py": "tests/convert/keras/fixtures/vocabulary_columns/train.py",
    # the same, not a chain: the columns a model of their own in a keras.Model subclass
    "vocabulary_skip.py": "tests/convert/keras/fixtures/vocabulary_columns/skip.py",
    # Legacy Mode functions and helpers taken from the module beside them (tiny_model.py)
    "keras_tf1_optimizer.py": "tests/fixtures/scripts/keras_tf1_optimizer.py",
    "python_keras.py": "tests/fixtures/scripts/python_keras.py",
    # tiny_model.py's model_fn (features a dict or not); a Python 2 script
    "py2_syntax.py": "tests/fixtures/scripts/py2_syntax.py",
    # input functions returning numpy arrays (the whole arrays: one batch, every step)
    "numpy_arrays.py": "tests/fixtures/scripts/numpy_arrays.py",
    # no serving_input_fn: the Keras inputs shaped as the training data's, no export
    "no_serving_input_fn.py": "tests/fixtures/scripts/no_serving_input_fn.py",
    # tf.app.flags: absl's flags, at their defaults as in the container
    "app_flags.py": "tests/fixtures/scripts/app_flags.py",
    # the script's model_fn runs a statement, then returns tiny_model.py's (copied as
    # _tiny_model_model_fn); the statement raises, as it did in Legacy Mode
    "raises_in_model_fn.py": "tests/fixtures/scripts/raises_in_model_fn.py",
    "keras_float64.py": "tests/fixtures/scripts/keras_float64.py",
    "returns_callables.py": "tests/fixtures/scripts/returns_callables.py",
}


def convert(name):
    from legacy_compat.convert.keras import convert_keras

    path = os.path.join(ROOT, SOURCES[name])
    with open(path, encoding="utf-8") as handle:  # (the path: its helper modules are beside it)
        return convert_keras(handle.read(), path)


def main():
    from legacy_compat.convert.keras.convert import SIBLING, sibling_source

    os.makedirs(GOLDEN, exist_ok=True)
    for name in sorted(SOURCES):
        with open(os.path.join(GOLDEN, name), "w", encoding="utf-8") as handle:
            handle.write(convert(name).output)
    with open(os.path.join(GOLDEN, SIBLING), "w", encoding="utf-8") as handle:
        handle.write(sibling_source())


if __name__ == "__main__":
    main()
