import tensorflow as tf

def train_input_fn(training_dir, hyperparameters)
    return None
