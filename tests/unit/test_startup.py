"""What a local job loads before the user's script runs: nothing it does not use."""
import os
import subprocess
import sys

from conftest import ROOT


def _python(code):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_local_job_prepares_and_finishes_without_boto3(tmp_path):
    # TensorFlow itself imports boto3 (TensorBoard's file system layer); our own code must
    # not add it for a job whose paths are all local.
    data = tmp_path / "data"
    data.mkdir()
    _python(
        "import sys\n"
        "from legacy_compat import runner, sources, storage, trainer, userscript\n"
        "from legacy_compat.environment import Environment\n"
        "env = Environment.local('train.py', {'training': %r}, job_dir=%r)\n"
        "store = storage.JobStorage(env)\n"
        "sources.fetch_submit_directory(env, store.s3)\n"
        "store.prepare(); store.finish(); store.upload_output(best_effort=True)\n"
        "assert 'boto3' not in sys.modules and 'botocore' not in sys.modules, 'boto3 imported'\n"
        "assert 'tensorflow' not in sys.modules\n" % (str(data), str(tmp_path / "job")))


def test_tensorflow_with_its_estimator_is_not_revived_nor_are_all_packages_scanned():
    # TF <= 2.15 has tf.estimator: the revival only reads TF's version from its package
    # metadata, without the scan of every installed package's files that
    # packages_distributions() does, and without importing TensorFlow.
    _python(
        "import sys\n"
        "from importlib import metadata\n"
        "def scan():\n"
        "    raise AssertionError('every installed package scanned')\n"
        "metadata.packages_distributions = scan\n"
        "from legacy_compat import estimator, tfversion\n"
        "assert tfversion.installed() is not None\n"
        "tf_version = tfversion.installed()\n"
        "if not tfversion.lacks_estimator(tf_version):\n"
        "    assert estimator.install() is False and not estimator.is_installed()\n"
        "    assert 'tensorflow' not in sys.modules and 'tensorflow_estimator' not in sys.modules\n")


def test_view_names_skip_tensorflows_deprecated_name_check(tmp_path):
    # TF 2's API modules check each first-used name against a rename table and find the
    # caller with inspect.stack() (about 0.3 s the first time); for the view, which is
    # tf.compat.v1 already, the notice would be wrong as well. The objects are TF's own.
    script = tmp_path / "user_names.py"
    script.write_text("import tensorflow as tf\n"
                      "numpy_input_fn = tf.estimator.inputs.numpy_input_fn\n"
                      "glorot = tf.glorot_uniform_initializer\n")
    _python(
        "import tensorflow as real_tf\n"
        "from tensorflow.python.util import module_wrapper\n"
        "def refuse():\n"
        "    raise AssertionError('TF looked for the caller of a deprecated name')\n"
        "module_wrapper._call_location = refuse\n"
        "from legacy_compat import userscript\n"
        "module = userscript.load(userscript.read_source(%r))\n"
        "v1 = real_tf.compat.v1\n"
        "assert module.numpy_input_fn is v1.estimator.inputs.numpy_input_fn\n"
        "assert module.glorot is v1.glorot_uniform_initializer\n" % str(script))


def test_the_user_code_importer_skips_tensorflows_modules_but_finds_the_users(tmp_path):
    # Each of TensorFlow's ~3,000 modules asks this importer first; the quick string test
    # that turns them away must not turn away a package in the code directory reached
    # through a folder written another way (relative, "..", doubled separators).
    from legacy_compat.userscript import _UserCodeImporter
    code_dir = tmp_path / "code"
    package = code_dir / "helpers"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "layers.py").write_text("")
    importer = _UserCodeImporter(str(code_dir), None)
    expected = (str(package / "layers.py"), False)
    assert importer._locate("helpers", None) == (str(package / "__init__.py"), True)
    assert importer._locate("helpers.layers", [str(package)]) == expected
    # Written so that none starts with the code directory's own spelling.
    for written in (str(tmp_path / "site" / ".." / "code" / "helpers"),
                    str(tmp_path) + os.sep + os.sep + os.path.join("code", "helpers")):
        assert importer._locate("helpers.layers", [written]) == expected, written
    previous = os.getcwd()
    os.chdir(str(code_dir))
    try:
        assert importer._locate("helpers.layers", ["helpers"]) == expected
    finally:
        os.chdir(previous)
    # A package elsewhere (TensorFlow's) is turned away, even one of the same name.
    elsewhere = tmp_path / "site" / "helpers"
    assert importer._locate("helpers.layers", [str(elsewhere)]) == (None, False)


def test_a_job_imports_tensorflow_without_collecting_and_sets_its_objects_aside(tmp_path):
    # A full collection while TensorFlow's ~300,000 objects pile up, and every one after,
    # walks all of them: in a 20-step job about 0.4 s of CPU. `train` owns its process.
    code = tmp_path / "code"
    code.mkdir()
    with open(os.path.join(ROOT, "tests", "fixtures", "scripts", "tiny_model.py")) as handle:
        (code / "tiny_model.py").write_text(handle.read())
    record = tmp_path / "gc.txt"
    (code / "train.py").write_text(
        "import gc\n"
        "import tensorflow as tf\n"
        "from tiny_model import model_fn, numpy_input  # noqa: F401\n"
        "with open(%r, 'w') as out:\n"
        "    out.write('%%d %%s' %% (gc.get_freeze_count(), gc.isenabled()))\n"
        "def train_input_fn(training_dir, hyperparameters):\n"
        "    return numpy_input(training_dir)()\n" % str(record))
    data = tmp_path / "data"
    data.mkdir()
    (data / "training_dataset.csv").write_text("\n".join(
        ",".join(["0.5"] * 8) for _ in range(40)) + "\n")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-m", "legacy_compat", "train", str(code / "train.py"), "--channel",
         str(data), "--job-dir", str(tmp_path / "job"), "--no-eval", "--hyperparameters",
         '{"training_steps": 2}'], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    frozen, enabled = record.read_text().split()
    assert int(frozen) > 50000 and enabled == "True"


def test_someone_elses_program_keeps_its_collector_as_it_set_it():
    _python(
        "import gc\n"
        "import legacy_compat\n"
        "from legacy_compat import tfapi\n"
        "tfapi.tensorflow()\n"
        "assert gc.get_freeze_count() == 0 and gc.isenabled()\n")
