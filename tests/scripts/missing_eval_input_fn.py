from tiny_model import model_fn, numpy_input


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()
