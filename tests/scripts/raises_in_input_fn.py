from tiny_model import model_fn, numpy_input  # noqa: F401


def train_input_fn(training_dir, hyperparameters):
    columns = hyperparameters['feature_columns_that_do_not_exist']
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()
