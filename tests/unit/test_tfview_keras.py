"""fix_tf1_optimizer on Keras 2.15 models built by user code through the TF 1.x view."""

import logging

import numpy
import pytest
import tensorflow as real_tf

from legacy_compat.tfview.keras_support import fix_tf1_optimizer

from conftest import run_user

pytestmark = pytest.mark.usefixtures("user_import_scope")


@pytest.fixture(autouse=True)
def fresh_graph():
    real_tf.compat.v1.reset_default_graph()
    yield


def build_model(optimizer_code):
    """A keras_model_fn-style model compiled in user code with ``optimizer_code``."""
    return run_user("""
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,), name="dense")])
        model.compile(optimizer={0}, loss="mse", metrics=["mae"])
    """.format(optimizer_code))["model"]


@pytest.mark.parametrize("optimizer_code, keras_class, expected", [
    ("tf.train.GradientDescentOptimizer(0.5)", "SGD",
     {"learning_rate": 0.5, "momentum": 0.0, "nesterov": False}),
    ("tf.train.MomentumOptimizer(0.1, momentum=0.8, use_nesterov=True)", "SGD",
     {"learning_rate": 0.1, "momentum": 0.8, "nesterov": True}),
    ("tf.train.AdamOptimizer(0.01, beta1=0.8, beta2=0.99, epsilon=1e-6)", "Adam",
     {"learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-6}),
    ("tf.train.AdagradOptimizer(0.2, initial_accumulator_value=0.3)", "Adagrad",
     {"learning_rate": 0.2, "initial_accumulator_value": 0.3}),
    ("tf.train.RMSPropOptimizer(0.01, decay=0.8, momentum=0.1, epsilon=1e-5, centered=True)",
     "RMSprop", {"learning_rate": 0.01, "rho": 0.8, "momentum": 0.1, "epsilon": 1e-5,
                 "centered": True}),
    ("tf.train.AdadeltaOptimizer(0.3, rho=0.9, epsilon=1e-6)", "Adadelta",
     {"learning_rate": 0.3, "rho": 0.9, "epsilon": 1e-6}),
    ("tf.train.FtrlOptimizer(0.1, learning_rate_power=-0.6, l1_regularization_strength=0.01)",
     "Ftrl", {"learning_rate": 0.1, "learning_rate_power": -0.6,
              "l1_regularization_strength": 0.01, "l2_regularization_strength": 0.0}),
])
def test_tf1_optimizers_become_their_keras_twins(optimizer_code, keras_class, expected, caplog):
    model = build_model(optimizer_code)
    with caplog.at_level(logging.INFO, logger="legacy_compat"):
        assert fix_tf1_optimizer(model) is model
    assert type(model.optimizer).__name__ == keras_class
    assert isinstance(model.optimizer, real_tf.compat.v1.keras.optimizers.Optimizer)
    config = model.optimizer.get_config()
    for key, value in expected.items():
        assert config[key] == pytest.approx(value), key
    assert model.loss == "mse" and model._compile_metrics == ["mae"]
    lines = [r for r in caplog.records if r.name == "legacy_compat"]
    assert len(lines) == 1 and lines[0].levelno == logging.INFO
    assert keras_class in lines[0].getMessage() and optimizer_code.split("(")[0][9:] in (
        lines[0].getMessage())


def test_fixed_model_trains_through_model_to_estimator(tmp_path):
    model = fix_tf1_optimizer(build_model("tf.train.AdamOptimizer(0.01)"))
    estimator = real_tf.compat.v1.keras.estimator.model_to_estimator(
        keras_model=model, model_dir=str(tmp_path))
    input_fn = real_tf.compat.v1.estimator.inputs.numpy_input_fn(
        {"dense_input": numpy.ones((4, 3), numpy.float32)}, numpy.ones((4, 2), numpy.float32),
        batch_size=4, num_epochs=1, shuffle=False)
    estimator.train(input_fn, steps=1)
    assert estimator.get_variable_value("global_step") == 1
    # Keras' Adam keeps its hyperparameters as variables; TF 1's keeps beta1_power.
    names = estimator.get_variable_names()
    assert "training/Adam/beta_1" in names and not [n for n in names if "beta1_power" in n]


def test_keras_optimizer_model_is_untouched(caplog):
    model = build_model("tf.keras.optimizers.Adam(0.01)")
    optimizer = model.optimizer
    with caplog.at_level(logging.INFO, logger="legacy_compat"):
        assert fix_tf1_optimizer(model) is model
    assert model.optimizer is optimizer
    assert not [r for r in caplog.records if r.name == "legacy_compat"]


def test_tensor_hyperparameters_are_left_alone_with_a_warning(caplog):
    model = build_model("tf.train.GradientDescentOptimizer(tf.constant(0.1))")
    optimizer = model.optimizer
    with caplog.at_level(logging.INFO, logger="legacy_compat"):
        fix_tf1_optimizer(model)
    assert model.optimizer is optimizer
    warnings = [r for r in caplog.records if r.name == "legacy_compat"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "learning_rate" in warnings[0].getMessage()
