"""The runtime's promises about itself: Python 2.7 syntax and a TensorFlow-free CLI start."""

import glob
import os
import subprocess
import sys

import pytest

from conftest import ROOT

PY27 = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/2.7*/bin/python")))


@pytest.mark.skipif(not PY27, reason="no Python 2.7 interpreter under ~/.pyenv/versions")
def test_runtime_modules_compile_on_python_2_7():
    package = os.path.join(ROOT, "legacy_compat")
    runtime = [path for path in glob.glob(os.path.join(package, "**", "*.py"), recursive=True)
               if os.sep + "convert" + os.sep not in path]
    assert len(runtime) > 10
    # compile() rather than py_compile: no .pyc files left next to the sources.
    check = ("import sys\nfor path in sys.argv[1:]:\n"
             "    compile(open(path).read(), path, 'exec')\n")
    proc = subprocess.run([PY27[-1], "-c", check] + runtime,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.returncode == 0, proc.stdout.decode()


def test_help_does_not_import_tensorflow():
    code = ("import sys\nfrom legacy_compat.cli import main\ntry:\n    main(['--help'])\n"
            "except SystemExit:\n    pass\nprint('TF=%s' % ('tensorflow' in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert "TF=False" in proc.stdout.decode()
    assert "train" in proc.stdout.decode() and "convert" in proc.stdout.decode()


def test_python_dash_m_entry_point():
    proc = subprocess.run([sys.executable, "-m", "legacy_compat", "--version"],
                          stdout=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.stdout.decode().startswith("legacy-compat ")
