"""`convert --target keras`, input functions: before -> after for each translation to a
tf.data.Dataset, and the fallback (ERROR naming the construct) for what is not translated."""
import textwrap

import pytest

from legacy_compat.convert.keras import convert_keras

SCRIPT = '''\
import os

import numpy as np
import tensorflow as tf


def keras_model_fn(hyperparameters):
    inputs = tf.keras.layers.Input(shape=(7,), name='x')
    model = tf.keras.models.Model(inputs, tf.keras.layers.Dense(1)(inputs))
    model.compile(optimizer='sgd', loss='mse')
    return model


INPUT_FNS
'''


def _convert(input_fns):
    source = SCRIPT.replace("INPUT_FNS", textwrap.dedent(input_fns).strip("\n") + "\n")
    return convert_keras(source, "train.py")


def _keras(input_fns):
    conversion = _convert(input_fns)
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert not errors, errors
    compile(conversion.output, "train.py", "exec")
    return conversion.output


def _error(input_fns):
    conversion = _convert(input_fns)
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert errors and "written for the Estimator target" in errors[0].message, \
        conversion.findings
    assert conversion.output.startswith("# legacy-compat convert --target keras: written for "
                                        "the Estimator target")
    return errors[0].message


def _function(output, name):
    """The text of one top-level function of the output."""
    start = output.index("def %s(" % name)
    end = output.find("\n\n\n", start)
    return output[start:end if end >= 0 else None].rstrip("\n") + "\n"


NUMPY_SHUFFLE_VARIABLE = '''
    def _input_fn(directory, name, shuffle):
        data = np.loadtxt(os.path.join(directory, name), delimiter=',')
        return tf.estimator.inputs.numpy_input_fn(x={'x': data[:, :7]}, y=data[:, 7:],
                                                  batch_size=16,
                                                  num_epochs=None if shuffle else 1,
                                                  shuffle=shuffle)


    def train_input_fn(training_dir, hyperparameters):
        return _input_fn(training_dir, 'train.csv', shuffle=True)()


    def eval_input_fn(training_dir, hyperparameters):
        return _input_fn(training_dir, 'eval.csv', shuffle=False)()
'''


def test_numpy_input_fn_with_a_variable_shuffle_shuffles_under_if():
    output = _keras(NUMPY_SHUFFLE_VARIABLE)
    assert _function(output, "_input_fn") == textwrap.dedent('''\
        def _input_fn(directory, name, shuffle):
            data = np.loadtxt(os.path.join(directory, name), delimiter=',')
            dataset = tf.data.Dataset.from_tensor_slices(({'x': data[:, :7]}, data[:, 7:]))
            if shuffle:
                dataset = dataset.shuffle(1000)
            return dataset.repeat(None if shuffle else 1).batch(16)
        ''')
    # numpy_input_fn returned a function the input function called: now the dataset itself
    assert "    return _input_fn(training_dir, 'train.csv', shuffle=True)\n" in output


def test_numpy_input_fn_with_a_variable_shuffle_elsewhere_falls_back():
    message = _error(NUMPY_SHUFFLE_VARIABLE.replace(
        "        return tf.estimator.inputs.numpy_input_fn(",
        "        fn = tf.estimator.inputs.numpy_input_fn(").replace(
        "                                                  shuffle=shuffle)",
        "                                                  shuffle=shuffle)\n"
        "        return fn"))
    assert "numpy_input_fn with shuffle=shuffle (a variable)" in message


GET_NEXT_HELPER = '''
    def _parse(record):
        parsed = tf.parse_single_example(record, {'x': tf.FixedLenFeature([7], tf.float32),
                                                  'y': tf.FixedLenFeature([1], tf.float32)})
        return parsed['x'], parsed['y']


    def _input(directory):
        dataset = tf.data.TFRecordDataset(os.path.join(directory, 'data.tfrecords'))
        dataset = dataset.map(_parse).repeat().batch(32)
        RETURN


    def train_input_fn(training_dir, hyperparameters):
        return _input(training_dir)


    def eval_input_fn(training_dir, hyperparameters):
        return _input(training_dir)
'''


@pytest.mark.parametrize("before, after", [
    ("x, y = dataset.make_one_shot_iterator().get_next()\n        return x, y",
     "return dataset"),
    ("x, y = dataset.make_one_shot_iterator().get_next()\n        return {'x': x}, y",
     "return dataset.map(lambda x, y: ({'x': x}, y))"),
    ("x, y = tf.data.make_one_shot_iterator(dataset).get_next()\n        return {'x': x}, y",
     "return dataset.map(lambda x, y: ({'x': x}, y))"),
    ("iterator = dataset.make_one_shot_iterator()\n        x, y = iterator.get_next()\n"
     "        return ({'x': x}, tf.cast(y, tf.float32))",
     "return dataset.map(lambda x, y: ({'x': x}, tf.cast(y, tf.float32)))"),
    ("iterator = dataset.make_one_shot_iterator()\n        return iterator.get_next()",
     "return dataset"),
    ("batch = dataset.make_one_shot_iterator().get_next()\n        return batch",
     "return dataset"),
])
def test_get_next_through_a_helper_becomes_the_dataset(before, after):
    output = _keras(GET_NEXT_HELPER.replace("RETURN", before))
    assert _function(output, "_input") == textwrap.dedent('''\
        def _input(directory):
            dataset = tf.data.TFRecordDataset(os.path.join(directory, 'data.tfrecords'))
            dataset = dataset.map(_parse).repeat().batch(32)
            %s
        ''') % after
    # the parsing function's TF 1.x names are TF 2's
    assert "parsed = tf.io.parse_single_example(record, {'x': tf.io.FixedLenFeature(" in output


@pytest.mark.parametrize("before, after", [
    ("features = dataset.make_one_shot_iterator().get_next()\n"
     "        # the label is a feature\n        labels = features.pop('y')\n"
     "        return features, labels",
     "def features_and_labels(features):\n"
     "        # the label is a feature\n        labels = features.pop('y')\n"
     "        return features, labels\n\n    return dataset.map(features_and_labels)"),
    ("x, y = dataset.make_one_shot_iterator().get_next()\n        x = x * 2\n"
     "        tf.print(x)\n        return {'x': x}, y",
     "def features_and_labels(x, y):\n        x = x * 2\n"
     "        tf.print(x)\n        return {'x': x}, y\n\n"
     "    return dataset.map(features_and_labels)"),
])
def test_statements_on_the_batch_become_a_mapped_function(before, after):
    output = _keras(GET_NEXT_HELPER.replace("RETURN", before))
    assert _function(output, "_input") == (
        "def _input(directory):\n"
        "    dataset = tf.data.TFRecordDataset(os.path.join(directory, 'data.tfrecords'))\n"
        "    dataset = dataset.map(_parse).repeat().batch(32)\n    %s\n" % after)


@pytest.mark.parametrize("before, words", [
    ("x, y = dataset.make_one_shot_iterator().get_next()\n        if x is None:\n"
     "            x = 1\n        return x, y",
     "returns `x, y`, which is not known to be a tf.data.Dataset"),
    ("x, y = dataset.make_one_shot_iterator().get_next()\n        total = 0\n"
     "        for v in [x]:\n            total += v\n        return total, y",
     "returns `total, y`"),
    ("iterator = dataset.make_one_shot_iterator()\n        a = iterator.get_next()\n"
     "        return iterator.get_next()", "used other than as `.get_next()` once"),
    ("iterator = dataset.make_initializable_iterator()\n        return iterator.get_next()",
     "make_initializable_iterator"),
    ("batch = dataset.make_one_shot_iterator().get_next()\n        return batch['x'], "
     "batch['y']", "returns `batch['x'], batch['y']`"),
])
def test_iterators_used_otherwise_fall_back(before, words):
    assert words in _error(GET_NEXT_HELPER.replace("RETURN", before))


def test_closures_and_returned_functions_are_followed():
    output = _keras('''
        def _input_fn(directory, batch_size):
            def input_fn():
                dataset = tf.data.TFRecordDataset(os.path.join(directory, 'data.tfrecords'))
                return dataset.batch(batch_size)
            return input_fn


        def train_input_fn(training_dir, hyperparameters):
            return _input_fn(training_dir, 16)()


        def eval_input_fn(training_dir, hyperparameters):
            def tf14_style():
                return tf.data.TFRecordDataset('eval.tfrecords').batch(8)
            return tf14_style
    ''')
    # a closure called by the input function: kept as it is
    assert "    return _input_fn(training_dir, 16)()\n" in output
    # TF 1.4 called a returned function itself: the input function calls it now
    assert "    return tf14_style()\n" in output


def test_a_closure_returning_something_else_falls_back():
    message = _error('''
        def _input_fn(directory):
            def input_fn():
                return np.zeros(3)
            return input_fn


        def train_input_fn(training_dir, hyperparameters):
            return _input_fn(training_dir)()
    ''')
    assert "input function input_fn returns `np.zeros(3)`" in message


def test_constant_tensors_become_the_same_batch_every_step():
    output = _keras('''
        def _input(directory):
            data = np.loadtxt(os.path.join(directory, 'train.csv'), delimiter=',')
            return {'x': tf.constant(data[:, :7])}, tf.constant(data[:, 7])


        def train_input_fn(training_dir, hyperparameters):
            return _input(training_dir)
    ''')
    assert ("    return tf.data.Dataset.from_tensors(\n"
            "        ({'x': tf.constant(data[:, :7])}, tf.constant(data[:, 7]))).repeat()\n") in output


def test_tensors_of_ops_fall_back():
    """Random tensors drew new values at every Estimator step: not one batch repeated."""
    message = _error('''
        def train_input_fn(training_dir, hyperparameters):
            return {'x': tf.random_normal([8, 7])}, tf.constant([1.0] * 8)
    ''')
    assert "returns `{'x': tf.random_normal([8, 7])}, tf.constant([1.0] * 8)`" in message


@pytest.mark.parametrize("input_fns, returned", [
    # numpy_arrays.py: unpacked from a helper's tuple, sliced, astype
    ('''
        def load(directory):
            data = np.loadtxt(os.path.join(directory, 'train.csv'), delimiter=',')
            return data[:, :7], data[:, 7]


        def train_input_fn(training_dir, hyperparameters):
            x, y = load(training_dir)
            return {'x': x[:64]}, y[:64].astype(np.int32)
    ''', "({'x': x[:64]}, y[:64].astype(np.int32))"),
    # keras_float64.py: a helper returning the arrays
    ('''
        def _arrays(directory):
            data = np.loadtxt(os.path.join(directory, 'train.csv'), delimiter=',')
            return {'x': data[:32, :7]}, data[:32, 7:]


        def train_input_fn(training_dir, hyperparameters):
            return _arrays(training_dir)
    ''', "({'x': data[:32, :7]}, data[:32, 7:])"),
])
def test_numpy_arrays_become_the_same_batch_every_step(input_fns, returned):
    """The Estimator made returned numpy arrays constant tensors: the whole arrays, one batch
    at every step (legacy_compat/adapters.py does the same on every TF)."""
    output = _keras(input_fns)
    assert "return tf.data.Dataset.from_tensors(%s).repeat()\n" % returned in output, output


@pytest.mark.parametrize("arrays", [
    "x, y = load(training_dir)\n    x = tf.square(x)",  # a tensor after all
    "x, y = other.load(training_dir)",  # of another module: not known
    "x, y = load(training_dir)\n    for x in [x]:\n        pass",  # bound otherwise too
])
def test_values_not_known_to_be_numpy_arrays_fall_back(arrays):
    message = _error('''
def load(directory):
    data = np.loadtxt(os.path.join(directory, 'train.csv'), delimiter=',')
    return data[:, :7], data[:, 7]


def train_input_fn(training_dir, hyperparameters):
    ARRAYS
    return {'x': x[:64]}, y[:64]
'''.replace("ARRAYS", arrays))
    assert "returns `{'x': x[:64]}, y[:64]`, which is not known to be a tf.data.Dataset" in \
        message and "numpy arrays" in message, message


PIPE_MODE = '''
    IMPORT


    def train_input_fn(training_dir, hyperparameters):
        dataset = PIPE(channel='training', record_format='TFRecord')
        return dataset.map(lambda record: ({'x': record}, record)).batch(16)
'''


@pytest.mark.parametrize("importing, pipe", [
    ("from sagemaker_tensorflow import PipeModeDataset", "PipeModeDataset"),
    ("import sagemaker_tensorflow", "sagemaker_tensorflow.PipeModeDataset"),
    ("from sagemaker_tensorflow import PipeModeDataset as Pipe", "Pipe"),
])
def test_pipe_mode_dataset_is_a_dataset(importing, pipe):
    output = _keras(PIPE_MODE.replace("IMPORT", importing).replace("PIPE", pipe))
    assert "    return dataset.map(lambda record: ({'x': record}, record)).batch(16)\n" \
        in output


def test_a_dataset_class_of_another_module_falls_back():
    message = _error(PIPE_MODE.replace("IMPORT", "from readers import PipeModeDataset")
                     .replace("PIPE", "PipeModeDataset"))
    assert "which is not known to be a tf.data.Dataset" in message, message


QUEUE = '''
    def train_input_fn(training_dir, hyperparameters):
        files = FILES
        queue = tf.train.string_input_producer(files PRODUCER)
        reader = tf.TFRecordReader()
        _, serialized = reader.read(queue)
        # one example at a time
        example = tf.parse_single_example(serialized, features={
            'x': tf.FixedLenFeature([7], tf.float32), 'y': tf.FixedLenFeature([], tf.int64)})
        label = tf.cast(example['y'], tf.float32)
        BATCH
'''


def _queue(files="[os.path.join(training_dir, 'train.tfrecords')]", producer="",
           batch="xs, ys = tf.train.shuffle_batch([example['x'], label], batch_size=16, "
                 "capacity=300,\n                                        "
                 "min_after_dequeue=100)\n        return {'x': xs}, ys"):
    return QUEUE.replace("FILES", files).replace(" PRODUCER", producer).replace(
        "BATCH", batch)


def test_queue_reader_becomes_a_tfrecord_dataset():
    output = _keras(_queue())
    assert _function(output, "train_input_fn") == textwrap.dedent('''\
        def train_input_fn(training_dir, hyperparameters):
            files = [os.path.join(training_dir, 'train.tfrecords')]
            def parse(serialized):
                # one example at a time
                example = tf.io.parse_single_example(serialized, features={
                    'x': tf.io.FixedLenFeature([7], tf.float32), 'y': tf.io.FixedLenFeature([], tf.int64)})
                label = tf.cast(example['y'], tf.float32)
                return example['x'], label

            dataset = tf.data.TFRecordDataset(files).repeat()
            dataset = dataset.map(parse)
            dataset = dataset.shuffle(100)
            return dataset.batch(16, drop_remainder=True).map(lambda xs, ys: ({'x': xs}, ys))
        ''')


@pytest.mark.parametrize("files, producer, batch, expected", [
    # one file in a list: nothing to shuffle; num_epochs=1: read once; the batch returned
    ("['train.tfrecords']", ", num_epochs=1",
     "return tf.train.batch([example['x'], label], 32)", [
         "    dataset = tf.data.TFRecordDataset(files)\n",
         "    return dataset.batch(32, drop_remainder=True)\n"]),
    # more than one file (or not known): shuffled each epoch as string_input_producer did
    ("tf.gfile.Glob(os.path.join(training_dir, '*.tfrecords'))", ", num_epochs=5, seed=3",
     "return tf.train.batch({'x': example['x'], 'y': label}, batch_size=8,\n"
     "                              allow_smaller_final_batch=True)", [
         "    dataset = tf.data.Dataset.from_tensor_slices(files)\n",
         "    dataset = dataset.shuffle(len(files), seed=3).repeat(5)\n"
         "    dataset = dataset.flat_map(tf.data.TFRecordDataset)\n",
         "        return {'x': example['x'], 'y': label}\n",
         "    return dataset.batch(8)\n"]),
    ("['a.tfrecords', 'b.tfrecords']", ", shuffle=False",
     "return tf.train.batch([example['x'], label], 4, num_threads=1, capacity=64)", [
         "    dataset = tf.data.TFRecordDataset(files).repeat()\n"]),
])
def test_queue_reader_variants(files, producer, batch, expected):
    source = _queue(files, producer, batch)
    if "tf.gfile.Glob" in files:  # TF 2 has it only as tf.compat.v1: the file list by glob
        source = source.replace("tf.gfile.Glob(", "glob.glob(").replace(
            "    def train_input_fn", "    import glob\n\n\n    def train_input_fn")
    output = _keras(source)
    for text in expected:
        assert text in output, (text, output)
    assert "string_input_producer" not in output and "TFRecordReader" not in output


@pytest.mark.parametrize("producer, batch, words", [
    ("", "return tf.train.batch([example['x'], label], 32, enqueue_many=True)",
     "tf.train.batch(enqueue_many=True)"),
    ("", "return tf.train.batch([example['x'], label], 32, dynamic_pad=True)",
     "tf.train.batch(dynamic_pad=True)"),
    ("", "return tf.train.batch([example['x'], label], 32, shapes=[[7], []])",
     "tf.train.batch(shapes=...)"),
    (", shuffle=hyperparameters['shuffle']", "return tf.train.batch([example['x'], label], 2)",
     "string_input_producer(shuffle=hyperparameters['shuffle']), a variable"),
    ("", "xs, ys = tf.train.batch([example['x'], label], 32)\n        if xs is None:\n"
     "            xs = 1\n        return xs, ys", "tf.train.batch(...) whose batch is used "
     "other than returned"),
])
def test_queue_reader_parts_not_translated_fall_back(producer, batch, words):
    assert words in _error(_queue(producer=producer, batch=batch))


def test_a_queue_reader_whose_parsed_tensors_serve_more_than_the_batch_falls_back():
    message = _error(_queue(batch="xs, ys = tf.train.batch([example['x'], label], 32)\n"
                                  "        return {'x': xs, 'raw': label}, ys"))
    assert "queue-based input other than string_input_producer + TFRecordReader" in message


def test_other_queue_readers_fall_back():
    message = _error(_queue().replace("tf.TFRecordReader()", "tf.TextLineReader()"))
    assert "queue-based input other than string_input_producer + TFRecordReader" in message


def test_a_helper_of_another_module_is_named():
    message = _error('''
        from tiny_model import numpy_input


        def train_input_fn(training_dir, hyperparameters):
            return numpy_input(training_dir)()
    ''')
    assert "`numpy_input` comes from the module tiny_model" in message


@pytest.mark.parametrize("binding", [
    "from shared_inputs import train_input_fn",
    "train_input_fn = functools.partial(_input_fn, 'train.csv')",
])
def test_input_functions_bound_otherwise_fall_back(binding):
    message = _error('''
        import functools


        def _input_fn(name, training_dir, hyperparameters):
            return tf.data.TFRecordDataset(name).batch(1)


        %s
    ''' % binding)
    assert "train_input_fn not defined by a `def` in this script" in message


def test_an_imported_serving_input_fn_falls_back_instead_of_exporting_nothing():
    message = _error('''
        from tiny_model import serving_input_fn


        def train_input_fn(training_dir, hyperparameters):
            return tf.data.TFRecordDataset('a').batch(1)
    ''')
    assert "serving_input_fn not defined by a `def`" in message


def _batches_of_both(tmp_path, files, producer, batch):
    """Every batch the queue reader gives (TF 1.x graph and queue runners, as the Estimator ran
    it) and every batch of its translation (TF 2, eager)."""
    tf = pytest.importorskip("tensorflow")
    paths = []
    for number in range(files):
        path = str(tmp_path / ("part-%d.tfrecords" % number))
        with tf.io.TFRecordWriter(path) as writer:
            for row in range(9):
                value = float(number * 100 + row)
                writer.write(tf.train.Example(features=tf.train.Features(feature={
                    "x": tf.train.Feature(float_list=tf.train.FloatList(value=[value] * 7)),
                    "y": tf.train.Feature(int64_list=tf.train.Int64List(value=[row]))}))
                    .SerializeToString())
        paths.append(path)
    source = _queue("%r" % paths, producer, batch)
    original = {"tf": tf.compat.v1, "os": __import__("os")}
    exec(textwrap.dedent(source), original)
    before = []
    with tf.Graph().as_default():
        tensors = original["train_input_fn"](None, None)
        with tf.compat.v1.train.MonitoredSession() as session:
            while not session.should_stop():
                before.append(session.run(tensors))
    translated = {"tf": tf, "os": __import__("os")}
    exec(_function(_keras(source), "train_input_fn"), translated)
    return before, _elements(tf, lambda: translated["train_input_fn"](None, None))


def _elements(tf, make_dataset):
    """Every element of a dataset as NumPy; in a graph and session when an earlier test in this
    process has switched TensorFlow to graph mode for good (legacy-compat train does that)."""
    if tf.executing_eagerly():
        return [tf.nest.map_structure(lambda t: t.numpy(), batch) for batch in make_dataset()]
    elements = []
    with tf.Graph().as_default():
        batch = tf.compat.v1.data.make_one_shot_iterator(make_dataset()).get_next()
        with tf.compat.v1.Session() as session:
            while True:
                try:
                    elements.append(session.run(batch))
                except tf.errors.OutOfRangeError:
                    return elements


def _rows(batches):
    return sorted((float(features["x"][i][0]), float(labels[i]))
                  for features, labels in batches for i in range(len(labels)))


def test_the_translated_queue_reader_gives_the_same_batches(tmp_path):
    """Not shuffled: the same batches in the same order, the short last one dropped."""
    import numpy as np

    before, after = _batches_of_both(
        tmp_path, 3, ", num_epochs=2, shuffle=False",
        "xs, ys = tf.train.batch([example['x'], label], 4)\n        return {'x': xs}, ys")
    assert len(before) == len(after) == 3 * 9 * 2 // 4
    for (features, labels), (features2, labels2) in zip(before, after):
        np.testing.assert_array_equal(features["x"], features2["x"])
        np.testing.assert_array_equal(labels, labels2)


def test_the_translated_shuffling_queue_reader_gives_the_same_examples(tmp_path):
    """Shuffled files and examples: each example once per epoch, batches of the same size."""
    before, after = _batches_of_both(
        tmp_path, 3, ", num_epochs=2, seed=1",
        "xs, ys = tf.train.shuffle_batch([example['x'], label], 5, capacity=20, "
        "min_after_dequeue=10, allow_smaller_final_batch=True)\n        return {'x': xs}, ys")
    assert _rows(before) == _rows(after) and len(_rows(after)) == 3 * 9 * 2
    assert [len(b[1]) for b in before] == [len(b[1]) for b in after]
    order = [float(features["x"][i][0]) for features, labels in after
             for i in range(len(labels))]
    assert order != sorted(order)  # shuffled


@pytest.mark.parametrize("constant", ["tf.constant(0.5, shape=[8, 7])",
                                      "tf.constant([0.5], tf.float32, [8, 7])"])
def test_constants_filled_up_to_a_shape_fall_back(constant):
    """TF 1.x filled a short value up to `shape` with its last element; TF 2 refuses."""
    message = _error('''
        def train_input_fn(training_dir, hyperparameters):
            return {'x': %s}, tf.constant([1.0] * 8)
    ''' % constant)
    assert "tf.constant, which TF 2 has only as tf.compat.v1" in message
