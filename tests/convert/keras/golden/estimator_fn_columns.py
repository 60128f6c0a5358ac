"""Canned DNNClassifier over categorical feature columns (vocabulary, hash, identity, bucketized,
embedding, indicator, crossed), string labels (label_vocabulary) and example weights
(weight_column), fed by tf.data."""
import tensorflow as tf
import keras

import keras_job

AGES = [18.0, 30.0, 50.0]


def keras_model_fn(params):
    inputs = {'age': keras.Input(shape=(1,), name='age'),
              'workclass': keras.Input(shape=(1,), dtype="string", name='workclass'),
              'occupation': keras.Input(shape=(1,), dtype="string", name='occupation'),
              'rooms': keras.Input(shape=(1,), dtype="int64", name='rooms')}
    age_bucketized = keras.layers.Discretization(
        bin_boundaries=AGES, output_mode="one_hot")(inputs['age'])
    occupation_X_workclass_indicator = keras.layers.HashedCrossing(
        num_bins=50, output_mode="one_hot")((inputs['workclass'], inputs['occupation']))
    occupation_embedding = keras.ops.mean(
        keras.layers.Embedding(20, 4, embeddings_initializer=keras.initializers.TruncatedNormal(
            stddev=0.5))(keras.layers.Hashing(num_bins=20)(inputs['occupation'])), axis=1)
    rooms_indicator = keras.layers.CategoryEncoding(num_tokens=6)(inputs['rooms'])
    workclass_indicator = keras.layers.StringLookup(
        vocabulary=['private', 'state', 'self'], num_oov_indices=1, output_mode="one_hot")(
            inputs['workclass'])[:, 1:]
    # the columns in the order of their names, as TF 1.x's input layer
    net = keras.layers.Concatenate()([inputs['age'], age_bucketized,
                                      occupation_X_workclass_indicator, occupation_embedding,
                                      rooms_indicator, workclass_indicator])
    net = keras.layers.Dense(8, activation="relu")(net)
    model = keras.Model(inputs, keras.layers.Dense(3)(net))
    model.compile(  # DNNClassifier's head (TF 1.x) sums the training loss over the batch
        optimizer=keras.optimizers.Adagrad(learning_rate=0.05),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="sum"),
        weighted_metrics=[keras.metrics.SparseCategoricalAccuracy("accuracy"),
                          keras.metrics.SparseCategoricalCrossentropy(
                              "average_loss", from_logits=True)])
    return model


FEATURES = {'age': [20.0, 40.0, 60.0, 10.0] * 8,
            'workclass': ['private', 'state', 'other', 'self'] * 8,
            'occupation': ['a', 'b', 'c', 'd'] * 8,
            'rooms': [1, 2, 3, 5] * 8,
            'weight': [1.0, 2.0, 0.5, 1.0] * 8}
LABELS = ['low', 'mid', 'high', 'mid'] * 8


def train_input_fn(training_dir, params):
    dataset = tf.data.Dataset.from_tensor_slices((FEATURES, LABELS))
    return dataset.repeat().batch(4)


def eval_input_fn(training_dir, params):
    dataset = tf.data.Dataset.from_tensor_slices((FEATURES, LABELS))
    return dataset.batch(4)


def serving_input_fn(model):
    spec = {'age': tf.io.FixedLenFeature([1], tf.float32),
            'workclass': tf.io.FixedLenFeature([1], tf.string),
            'occupation': tf.io.FixedLenFeature([1], tf.string),
            'rooms': tf.io.FixedLenFeature([1], tf.int64)}
    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="inputs")])
    def serve(inputs):
        features = tf.io.parse_example(inputs, spec)
        return keras_job.classes_and_scores(model(features), ['low', 'mid', 'high'])
    return serve


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = keras_model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn, examples=keras_job.Examples(
        label_vocabulary=['low', 'mid', 'high'], weight_column='weight'))
    job.export(model, serving_input_fn(model))
