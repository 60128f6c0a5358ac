# A ResNet-style legacy model_fn script (convolutions, batch normalization, shortcuts) for the
# TF-release benchmark (bench_tf_releases.py). Like legacy_model.py it spells the API as
# tf.compat.v1 so the same file also runs in a plain session loop (session_loop.py).
import numpy as np
import tensorflow as _tf

tf = _tf.compat.v1
INPUT = 'images'
SIZE, CHANNELS, CLASSES, BATCH = 32, 3, 10, 32


def _block(x, filters, training, stride, scope):
    with tf.variable_scope(scope):
        shortcut = x
        if stride != 1 or int(x.shape[-1]) != filters:
            shortcut = tf.layers.conv2d(x, filters, 1, stride, use_bias=False, name='project')
        y = tf.layers.conv2d(x, filters, 3, stride, padding='same', use_bias=False, name='conv1')
        y = tf.nn.relu(tf.layers.batch_normalization(y, training=training, name='bn1'))
        y = tf.layers.conv2d(y, filters, 3, 1, padding='same', use_bias=False, name='conv2')
        y = tf.layers.batch_normalization(y, training=training, name='bn2')
        return tf.nn.relu(y + shortcut)


def logits_of(images, training):
    x = tf.layers.conv2d(images, 16, 3, padding='same', use_bias=False, name='stem')
    x = tf.nn.relu(tf.layers.batch_normalization(x, training=training, name='stem_bn'))
    for stage, filters in enumerate((16, 32, 64)):
        x = _block(x, filters, training, 1 if stage == 0 else 2, 'stage%d_a' % stage)
        x = _block(x, filters, training, 1, 'stage%d_b' % stage)
    x = tf.reduce_mean(x, axis=[1, 2])
    return tf.layers.dense(x, CLASSES, name='logits')


def train_op_of(logits, labels):
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.MomentumOptimizer(0.01, 0.9).minimize(
            loss, global_step=tf.train.get_or_create_global_step())
    return loss, train_op


def model_fn(features, labels, mode, params):
    training = mode == tf.estimator.ModeKeys.TRAIN
    logits = logits_of(features[INPUT], training)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={'classes': tf.argmax(logits, 1)})
    loss, train_op = train_op_of(logits, labels)
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops={
        'accuracy': tf.metrics.accuracy(labels, tf.argmax(logits, 1))})


def _data(seed, count=1024):
    rng = np.random.RandomState(seed)
    x = rng.uniform(0, 1, (count, SIZE, SIZE, CHANNELS)).astype(np.float32)
    y = rng.randint(0, CLASSES, count).astype(np.int64)
    return x, y


def train_input_fn(training_dir, hyperparameters):
    x, y = _data(0)
    dataset = tf.data.Dataset.from_tensor_slices(({INPUT: x}, y))
    return dataset.repeat().shuffle(1024, seed=0).batch(BATCH)


def eval_input_fn(training_dir, hyperparameters):
    x, y = _data(1, 256)
    return tf.data.Dataset.from_tensor_slices(({INPUT: x}, y)).batch(BATCH)


def serving_input_fn(hyperparameters):
    placeholder = tf.placeholder(tf.float32, [None, SIZE, SIZE, CHANNELS])
    return tf.estimator.export.build_raw_serving_input_receiver_fn({INPUT: placeholder})()
