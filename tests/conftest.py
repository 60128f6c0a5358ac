import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")
SCRIPTS = os.path.join(ROOT, "tests", "fixtures", "scripts")

# Few steps and frequent logging: the tests prove behaviour, not accuracy.
FAST = {"training_steps": 30, "evaluation_steps": 2, "log_step_count_steps": 10}


class Run(object):
    def __init__(self, proc, job_dir):
        self.returncode = proc.returncode
        self.stdout = proc.stdout.decode("utf-8", "replace")
        self.stderr = proc.stderr.decode("utf-8", "replace")
        self.job_dir = job_dir

    @property
    def output(self):
        return self.stdout + self.stderr

    def path(self, *parts):
        return os.path.join(self.job_dir, *parts)

    def failure(self):
        with open(self.path("output", "failure")) as handle:
            return handle.read()

    def exports(self):
        base = self.path("model", "export", "Servo")
        return sorted(os.listdir(base)) if os.path.isdir(base) else []


def run_cli(args, job_dir, env=None, cwd=None):
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = ROOT + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "legacy_compat"] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env,
                          cwd=cwd or ROOT, timeout=600)
    return Run(proc, job_dir)


@pytest.fixture
def train(tmp_path):
    """Run ``legacy-compat train`` in a subprocess (a fresh TF graph and process each time)."""

    def _train(script, channels=(), hyperparameters=None, extra=(), job_dir=None, env=None):
        job = str(job_dir or tmp_path / "job")
        args = ["train", script, "--job-dir", job]
        for channel in channels:
            args += ["--channel", channel]
        params = dict(FAST)
        params.update(hyperparameters or {})
        args += ["--hyperparameters", json.dumps(params)]
        return run_cli(args + list(extra), job, env=env)

    return _train


def example(*parts):
    return os.path.join(EXAMPLES, *parts)


def script(name):
    return os.path.join(SCRIPTS, name)


def run_user(code, **names):
    """Execute ``code`` as the user module ``user_script`` the way `legacy-compat train` runs a
    script (userscript.execute: real builtins, the module marked for the scoped import);
    return its globals. ``names`` are set in the module first."""
    import textwrap
    import types

    from legacy_compat import userscript
    module = types.ModuleType("user_script")
    module.__dict__.update(names)
    source = userscript.SourceFile("user_script.py", textwrap.dedent(code), None)
    userscript.execute(source, module, userscript.user_import())
    return module.__dict__


@pytest.fixture
def user_import_scope():
    """The import dispatcher run_user installs, taken out again after the test."""
    from legacy_compat.tfview import scope
    yield
    scope.uninstall()
