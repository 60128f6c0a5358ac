"""Every job ends with a verdict: stops by signal, faults of the job directory, bad input,
broken checkpoints and crashes inside legacy-compat itself, each through the real CLI."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import FAST, ROOT, Run, example, run_cli, script

from legacy_compat import outcome

DATA = example("abalone", "data")
PREFIX = "uncaught exception during training: "


def cli_env():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return env


def train_args(job, hyperparameters, script_name="stoppable.py"):
    params = dict(FAST)
    params.update(hyperparameters)
    return [sys.executable, "-m", "legacy_compat", "train", script(script_name),
            "--channel", DATA, "--job-dir", str(job), "--hyperparameters", json.dumps(params)]


def recorded_steps(record):
    """{pid: [global steps that process trained, in order]} from tests/fixtures/scripts/stoppable.py."""
    runs = {}
    if os.path.exists(str(record)):
        with open(str(record)) as handle:
            for line in handle:
                pid, step = line.split()
                runs.setdefault(int(pid), []).append(int(step))
    return runs


def start(args, tmp_path, name):
    out = open(str(tmp_path / (name + ".out")), "wb")
    err = open(str(tmp_path / (name + ".err")), "wb")
    return subprocess.Popen(args, stdout=out, stderr=err, env=cli_env(), cwd=ROOT), out, err


def finish(proc, files, tmp_path, name, job, timeout=300):
    try:
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for handle in files:
            handle.close()

    class Done(object):
        returncode = proc.returncode
        stdout = (tmp_path / (name + ".out")).read_bytes()
        stderr = (tmp_path / (name + ".err")).read_bytes()
    return Run(Done, str(job))


def wait_for_steps(record, count, proc, timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if sum(len(s) for s in recorded_steps(record).values()) >= count:
            return
        assert proc.poll() is None, "training ended before the test could stop it"
        time.sleep(0.1)
    raise AssertionError("no %d training steps within %d s" % (count, timeout))


def checkpoint_step(job):
    with open(os.path.join(str(job), "model", "checkpoint")) as handle:
        first = handle.readline()
    return int(first.rsplit("-", 1)[1].strip().strip('"'))


# --- stops --------------------------------------------------------------------------------------

@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_signal_stops_with_a_checkpoint_and_a_rerun_resumes(tmp_path, signame):
    signum = getattr(signal, signame)
    job, record = tmp_path / "job", tmp_path / "steps.txt"
    params = {"training_steps": 60, "record_file": str(record), "step_sleep": 0.05}
    proc, out, err = start(train_args(job, params), tmp_path, "first")
    wait_for_steps(record, 8, proc)
    os.kill(proc.pid, signum)
    first = finish(proc, (out, err), tmp_path, "first", job)

    assert first.returncode == 128 + signum, first.output[-3000:]
    trained = recorded_steps(record)[proc.pid]
    stopped_at = len(trained)
    assert trained == list(range(stopped_at)) and stopped_at < 60
    assert first.failure() == "stopped by %s at global step %d; rerun to resume\n" % (
        signame, stopped_at)
    assert "stopped by %s at global step %d" % (signame, stopped_at) in first.stderr
    assert checkpoint_step(job) == stopped_at
    # Neither an evaluation nor an export of the half-trained model.
    assert not os.path.exists(first.path("model", "eval")), os.listdir(first.path("model"))
    assert first.exports() == []
    assert not os.path.exists(first.path("output", "success"))

    params.pop("step_sleep")
    proc, out, err = start(train_args(job, params), tmp_path, "second")
    second = finish(proc, (out, err), tmp_path, "second", job)
    assert second.returncode == 0, second.output[-3000:]
    assert "resuming from the checkpoint at global step %d" % stopped_at in second.output
    assert recorded_steps(record)[proc.pid] == list(range(stopped_at, 60))
    assert checkpoint_step(job) == 60
    assert len(second.exports()) == 1
    assert os.path.exists(second.path("output", "success"))
    assert not os.path.exists(second.path("output", "failure"))
    assert "replacing the previous run's verdict (failure: stopped by %s" % signame in second.output


def test_second_signal_ends_the_job_at_once(tmp_path):
    job, record = tmp_path / "job", tmp_path / "steps.txt"
    params = {"training_steps": 60, "record_file": str(record), "step_sleep": 1.5}
    proc, out, err = start(train_args(job, params), tmp_path, "run")
    wait_for_steps(record, 2, proc)
    # Both arrive while TensorFlow runs one (slow) step; Python handles SIGINT first.
    os.kill(proc.pid, signal.SIGINT)
    os.kill(proc.pid, signal.SIGTERM)
    run = finish(proc, (out, err), tmp_path, "run", job)
    assert run.returncode == 128 + signal.SIGTERM, run.output[-3000:]
    assert "killed by a second SIGTERM while stopping" in run.failure()
    assert "killed by a second SIGTERM while stopping" in run.stderr
    assert checkpoint_step(job) < len(recorded_steps(record)[proc.pid])


# --- the job directory --------------------------------------------------------------------------

def assert_only_stderr_verdict(run, *fragments):
    assert run.returncode == outcome.EXIT_JOB_DIR, run.output[-3000:]
    assert "could not be written" in run.stderr and "only verdict" in run.stderr, run.stderr
    for fragment in fragments:
        assert fragment in run.stderr, (fragment, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr


def test_job_dir_that_is_a_file(tmp_path):
    job = tmp_path / "job"
    job.write_text("not a folder")
    run = run_cli(["train", script("tiny_model.py"), "--job-dir", str(job)], str(job))
    assert_only_stderr_verdict(run, "the job directory cannot be written", "Not a directory")
    assert job.read_text() == "not a folder"


@pytest.fixture
def tmpfs(tmp_path):
    """A small file system of its own: ``mount(options)`` returns its path."""
    mounted = []

    def mount(options):
        point = tmp_path / ("fs%d" % len(mounted))
        point.mkdir()
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if proc.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root): %s"
                        % proc.stdout.decode().strip())
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)])


def test_read_only_job_dir(tmp_path, tmpfs):
    if os.geteuid() == 0:
        job = tmpfs("ro,size=64k")  # root ignores permission bits: use a read-only file system
        expected = "Read-only file system"
    else:
        job = tmp_path / "job"
        job.mkdir()
        job.chmod(0o555)
        expected = "Permission denied"
    run = run_cli(["train", script("tiny_model.py"), "--job-dir", str(job)], str(job))
    assert_only_stderr_verdict(run, "the job directory cannot be written", expected)


def test_full_job_dir(tmpfs):
    job = tmpfs("size=64k")
    with pytest.raises(OSError):
        with open(str(job / "filler"), "wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
    run = run_cli(["train", script("tiny_model.py"), "--job-dir", str(job)], str(job))
    assert_only_stderr_verdict(run, "the job directory cannot be written",
                               "No space left on device")


def test_job_dir_fills_up_during_training(tmp_path, tmpfs):
    # Room for the folders and the failure file, not for the checkpoint and graph files.
    job = tmpfs("size=96k")
    run = run_cli(train_args(job, {"record_file": str(tmp_path / "steps")},
                             "no_serving_input_fn.py")[3:], str(job))
    assert run.returncode == outcome.EXIT_JOB_DIR, run.output[-3000:]
    assert "No space left on device" in run.stderr
    if os.path.exists(run.path("output", "failure")):
        assert "No space left on device" in run.failure()
    else:
        assert "could not be written" in run.stderr
    assert not os.path.exists(run.path("output", "success"))


# --- bad input ----------------------------------------------------------------------------------

def test_bad_hyperparameters_json_on_the_command_line(tmp_path):
    job = tmp_path / "job"
    run = run_cli(["train", script("tiny_model.py"), "--job-dir", str(job),
                   "--hyperparameters", '{"training_steps": 10,}'], str(job))
    assert run.returncode == outcome.EXIT_BAD_INPUT, run.output
    for text in (run.stderr, run.failure()):
        assert "--hyperparameters" in text and "not valid JSON" in text, text
    assert run.failure().startswith(PREFIX + "ConfigError: ")


def container(tmp_path, hyperparameters_json, channels=("training",), make_dirs=True):
    base = tmp_path / "opt_ml"
    config = base / "input" / "config"
    config.mkdir(parents=True)
    code = base / "code"
    code.mkdir()
    shutil.copy(example("abalone", "abalone.py"), str(code))
    (config / "hyperparameters.json").write_text(hyperparameters_json)
    (config / "inputdataconfig.json").write_text(json.dumps(
        dict((name, {"TrainingInputMode": "File"}) for name in channels)))
    if make_dirs:
        for name in channels:
            shutil.copytree(DATA, str(base / "input" / "data" / name))
    return base


def run_container(base):
    return run_cli(["train"], str(base), env={"LEGACY_COMPAT_BASE_DIR": str(base)})


def test_invalid_hyperparameters_json_in_container_mode(tmp_path):
    base = container(tmp_path, '{"sagemaker_program": "\\"abalone.py\\"", ')
    run = run_container(base)
    assert run.returncode == outcome.EXIT_BAD_INPUT, run.output
    path = str(base / "input" / "config" / "hyperparameters.json")
    for text in (run.stderr, run.failure()):
        assert path in text and "not valid JSON" in text, text


def test_missing_channel_in_container_mode(tmp_path):
    base = container(tmp_path, json.dumps({"sagemaker_program": '"abalone.py"'}),
                     make_dirs=False)
    run = run_container(base)
    assert run.returncode == outcome.EXIT_BAD_INPUT, run.output
    missing = str(base / "input" / "data" / "training")
    for text in (run.stderr, run.failure()):
        assert "channel 'training'" in text and missing in text and "does not exist" in text


def test_missing_channel_in_local_mode(tmp_path):
    job = tmp_path / "job"
    missing = str(tmp_path / "no-such-data")
    run = run_cli(["train", script("tiny_model.py"), "--job-dir", str(job),
                   "--channel", "eval=" + missing], str(job))
    assert run.returncode == outcome.EXIT_BAD_INPUT, run.output
    for text in (run.stderr, run.failure()):
        assert "channel 'eval': directory not found" in text and missing in text


def test_input_fn_that_raises_names_the_users_line(train):
    path = script("raises_in_input_fn.py")
    run = train(path, channels=[DATA])
    assert run.returncode == outcome.EXIT_FAILED, run.output[-3000:]
    assert run.failure().startswith(PREFIX + "KeyError: 'feature_columns_that_do_not_exist'")
    assert 'File "%s", line 5, in train_input_fn' % path in run.failure()
    assert "in your code: %s, line 5, in train_input_fn" % path in run.stderr


# --- checkpoints ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def trained_job(tmp_path_factory):
    job = tmp_path_factory.mktemp("trained") / "job"
    run = run_cli(train_args(job, {"training_steps": 20, "record_file": os.devnull},
                             "no_serving_input_fn.py")[3:], str(job))
    assert run.returncode == 0, run.output[-3000:]
    return job


def corrupt_and_rerun(trained_job, tmp_path, damage):
    job = tmp_path / "job"
    shutil.copytree(str(trained_job), str(job))
    model = job / "model"
    damage(model)
    before = sorted(os.listdir(str(model)))
    record = tmp_path / "steps.txt"
    run = run_cli(train_args(job, {"training_steps": 40, "record_file": str(record)},
                             "stoppable.py")[3:], str(job))
    assert run.returncode == outcome.EXIT_CHECKPOINT, run.output[-3000:]
    assert not os.path.exists(str(record)), "it trained over the broken checkpoint"
    assert sorted(os.listdir(str(model))) == before
    assert run.failure().startswith(PREFIX + "CheckpointError: ")
    assert "move %s away" % model in run.stderr
    return run


def test_truncated_checkpoint_data_is_refused(trained_job, tmp_path):
    def truncate(model):
        data = model / "model.ckpt-20.data-00000-of-00001"
        data.write_bytes(data.read_bytes()[:-7])

    run = corrupt_and_rerun(trained_job, tmp_path, truncate)
    assert "model.ckpt-20 cannot be read" in run.stderr


def test_missing_checkpoint_index_is_refused(trained_job, tmp_path):
    run = corrupt_and_rerun(trained_job, tmp_path,
                            lambda model: (model / "model.ckpt-20.index").unlink())
    assert "model.ckpt-20.index is missing" in run.stderr


def test_garbled_checkpoint_state_file_is_refused(trained_job, tmp_path):
    run = corrupt_and_rerun(trained_job, tmp_path,
                            lambda model: (model / "checkpoint").write_text("model_checkpoint_pa"))
    assert "checkpoint state file cannot be parsed" in run.stderr


# --- crashes inside legacy-compat ---------------------------------------------------------------

CRASH = """
import sys
import legacy_compat.{module} as target
def crash(*args, **kwargs):
    raise RuntimeError("simulated bug in legacy-compat")
{patch}
from legacy_compat.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("module, patch", [
    ("trainer", "target.Trainer.train = crash"),
    ("environment", "target.Environment.local = classmethod(crash)"),
], ids=["in-the-trainer", "before-the-runner"])
def test_crash_inside_legacy_compat_still_writes_the_failure_file(tmp_path, module, patch):
    job = tmp_path / "job"
    proc = subprocess.run(
        [sys.executable, "-c", CRASH.format(module=module, patch=patch), "train",
         script("no_serving_input_fn.py"), "--channel", DATA, "--job-dir", str(job)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(), cwd=ROOT, timeout=300)
    run = Run(proc, str(job))
    assert run.returncode == outcome.EXIT_FAILED, run.output[-3000:]
    failure = run.failure()
    assert failure.startswith(PREFIX + "RuntimeError: simulated bug in legacy-compat")
    assert "Traceback" in failure and "in crash" in failure
    assert "simulated bug in legacy-compat" in run.stderr
    assert "Traceback" not in run.stderr


# --- the documented codes -------------------------------------------------------------------------

def test_readme_documents_every_exit_code():
    with open(os.path.join(ROOT, "README.md")) as handle:
        readme = handle.read()
    for name in ("EXIT_SUCCESS", "EXIT_FAILED", "EXIT_BAD_INPUT", "EXIT_CHECKPOINT",
                 "EXIT_JOB_DIR"):
        assert "| `%d` |" % getattr(outcome, name) in readme, name
    assert "| `128+N` |" in readme


# --- the legacy defaults, end to end --------------------------------------------------------------

def test_default_training_and_evaluation_steps(tmp_path):
    """No step counts given: 1000 training steps and 100 evaluation steps, as in Legacy Mode."""
    job, record = tmp_path / "job", tmp_path / "steps.txt"
    run = run_cli(["train", script("stoppable.py"), "--channel", DATA, "--job-dir", str(job),
                   "--hyperparameters", json.dumps({"record_file": str(record)})], str(job))
    assert run.returncode == 0, run.output[-3000:]
    trained = [step for steps in recorded_steps(record).values() for step in steps]
    assert trained == list(range(1000))
    assert checkpoint_step(job) == 1000
    # The evaluation input never runs out, so evaluation_steps alone ends it.
    assert "Evaluation [100/100]" in run.output
    assert "Evaluation [101/" not in run.output
    assert "Saving dict for global step 1000" in run.output
    assert len(run.exports()) == 1


@pytest.mark.parametrize("exit_with,code", [(0, outcome.EXIT_FAILED), (7, 7), ("giving up", 1)])
def test_sys_exit_in_user_code_is_a_failed_job(train, exit_with, code):
    run = train(script("exits.py"), channels=[DATA], hyperparameters={"exit_with": exit_with})
    assert run.returncode == code, run.output[-3000:]
    assert "called sys.exit(%r) before training finished" % (exit_with,) in run.failure()
    assert "in train_input_fn" in run.failure()
    assert not os.path.exists(os.path.join(run.job_dir, "output", "success"))
