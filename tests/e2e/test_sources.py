"""sagemaker_submit_directory (safe extraction) and requirements installed before the script is imported."""

import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile

import pytest

from conftest import FAST, SCRIPTS, example, run_cli
from legacy_compat import sources
from legacy_compat.errors import ConfigError
from s3server import s3_env, s3_server  # noqa: F401  (fixtures)

ABALONE_DATA = example("abalone", "data")

# -- safe extraction ------------------------------------------------------------------------------


def make_tar(path, members):
    """``members``: (name, kind, payload) with kind file|dir|symlink|hardlink|chardev|fifo."""
    with tarfile.open(path, "w:gz") as tar:
        for name, kind, payload in members:
            info = tarfile.TarInfo(name)
            data = None
            if kind == "file":
                data = payload.encode("utf-8")
                info.size = len(data)
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
            elif kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, payload
            elif kind == "hardlink":
                info.type, info.linkname = tarfile.LNKTYPE, payload
            elif kind == "chardev":
                info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
            elif kind == "fifo":
                info.type = tarfile.FIFOTYPE
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


@pytest.mark.parametrize("member, problem", [
    (("/tmp/evil.py", "file", "x"), "absolute path"),
    (("../evil.py", "file", "x"), "'..' path component"),
    (("pkg/../../evil.py", "file", "x"), "'..' path component"),
    (("escape", "symlink", "/etc"), "symbolic link to '/etc'"),
    (("escape", "symlink", "pkg/../../.."), "symbolic link to 'pkg/../../..'"),
    (("passwd", "hardlink", "/etc/passwd"), "hard link to '/etc/passwd'"),
    (("null", "chardev", None), "device, FIFO"),
    (("pipe", "fifo", None), "device, FIFO"),
])
def test_unsafe_archive_members_are_refused_by_name(tmp_path, member, problem):
    archive = make_tar(str(tmp_path / "sourcedir.tar.gz"), [("train.py", "file", "x = 1\n"), member])
    code = tmp_path / "code"
    with pytest.raises(sources.UnsafeArchiveError) as caught:
        sources.extract_archive(archive, str(code))
    message = str(caught.value)
    assert "refusing archive member %r" % member[0] in message
    assert problem in message
    assert archive in message
    assert not (tmp_path / "evil.py").exists()


def test_a_link_inside_stays_inside_and_a_linked_directory_cannot_carry_members_out(tmp_path):
    archive = make_tar(str(tmp_path / "s.tar.gz"), [
        ("inner", "symlink", "."),  # fine: it points inside the code directory
        ("inner/ok.py", "file", "y = 2\n"),
    ])
    code = tmp_path / "code"
    assert sources.extract_archive(archive, str(code)) == ["inner", "inner/ok.py"]
    assert (code / "ok.py").read_text() == "y = 2\n"
    # A directory link already in the code directory (a mounted volume, an earlier
    # archive) must not let a member land where it points.
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(str(outside), str(code / "data"))
    archive = make_tar(str(tmp_path / "s2.tar.gz"), [("data/evil.py", "file", "x")])
    with pytest.raises(sources.UnsafeArchiveError) as caught:
        sources.extract_archive(archive, str(code))
    assert "'data/evil.py': it resolves outside the code directory" in str(caught.value)
    assert os.listdir(str(outside)) == []


def test_a_clean_archive_extracts_with_subdirectories(tmp_path):
    archive = make_tar(str(tmp_path / "s.tar.gz"), [
        ("./train.py", "file", "import helpers.util\n"),
        ("helpers", "dir", None),
        ("helpers/__init__.py", "file", ""),
        ("helpers/util.py", "file", "z = 3\n"),
        ("helpers/alias.py", "symlink", "util.py"),
    ])
    sources.extract_archive(archive, str(tmp_path / "code"))
    assert (tmp_path / "code" / "helpers" / "alias.py").read_text() == "z = 3\n"


def test_not_an_archive_is_a_clear_error(tmp_path):
    bogus = tmp_path / "sourcedir.tar.gz"
    bogus.write_text("not a tar")
    with pytest.raises(ConfigError) as caught:
        sources.extract_archive(str(bogus), str(tmp_path / "code"))
    assert "cannot open the source archive" in str(caught.value)


# -- requirements, with a real package from a local wheel (no network) -------------------------


def build_wheel(directory, name="tinydep", version="0.1", value=42):
    """A minimal pure-Python wheel, written by hand (what bdist_wheel would produce)."""
    files = {
        "%s/__init__.py" % name: "VALUE = %d\n" % value,
        "%s-%s.dist-info/METADATA" % (name, version):
            "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version),
        "%s-%s.dist-info/WHEEL" % (name, version):
            "Wheel-Version: 1.0\nGenerator: legacy-compat-tests\nRoot-Is-Purelib: true\n"
            "Tag: py2-none-any\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append("%s,sha256=%s,%d" % (path, digest.decode(), len(text.encode())))
    record_path = "%s-%s.dist-info/RECORD" % (name, version)
    record.append("%s,," % record_path)
    files[record_path] = "\n".join(record) + "\n"
    os.makedirs(directory)
    wheel = os.path.join(directory, "%s-%s-py2.py3-none-any.whl" % (name, version))
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in sorted(files.items()):
            archive.writestr(path, text)
    return wheel


SCRIPT_USING_TINYDEP = """\
# A legacy script that needs a package from its requirements file.
import tinydep
from tiny_model import model_fn, serving_input_fn, numpy_input


def train_input_fn(training_dir, hyperparameters):
    assert tinydep.VALUE == 42
    return numpy_input(training_dir)


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')
"""


def write_code(code_dir, requirements):
    os.makedirs(code_dir)
    with open(os.path.join(code_dir, "train.py"), "w") as handle:
        handle.write(SCRIPT_USING_TINYDEP)
    with open(os.path.join(SCRIPTS, "tiny_model.py")) as source:
        with open(os.path.join(code_dir, "tiny_model.py"), "w") as handle:
            handle.write(source.read())
    build_wheel(os.path.join(code_dir, "wheels"))
    with open(os.path.join(code_dir, "requirements.txt"), "w") as handle:
        handle.write(requirements)


OFFLINE = "--no-index\n--find-links wheels\ntinydep==0.1\n"
# pip must not read this machine's configuration (indexes, constraints) in the tests.
PIP_ISOLATED = {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1"}


def not_importable_here(name):
    probe = subprocess.run([sys.executable, "-c", "import %s" % name], capture_output=True)
    return probe.returncode != 0


def local_args(code_dir, job, extra=()):
    return ["train", os.path.join(code_dir, "train.py"), "--job-dir", job,
            "--channel", ABALONE_DATA, "--hyperparameters",
            json.dumps(dict(FAST, learning_rate=0.001))] + list(extra)


def test_local_mode_installs_requirements_only_when_asked(tmp_path):
    code = str(tmp_path / "code")
    write_code(code, OFFLINE)
    job = str(tmp_path / "job")
    plain = run_cli(local_args(code, job), job, env=PIP_ISOLATED)
    assert plain.returncode != 0
    assert "pass --install-requirements" in plain.output
    assert "No module named 'tinydep'" in plain.failure()

    job = str(tmp_path / "job2")
    run = run_cli(local_args(code, job, ["--install-requirements"]), job, env=PIP_ISOLATED)
    assert run.returncode == 0, run.output
    assert "installing the requirements in %s" % os.path.join(code, "requirements.txt") in run.output
    installed = sources.site_dirs(os.path.join(job, "packages"))
    assert any(os.path.isdir(os.path.join(d, "tinydep")) for d in installed), installed
    assert not_importable_here("tinydep"), "the user's own environment must not change"


def test_a_missing_package_in_local_mode_names_the_uninstalled_requirements(tmp_path):
    code = str(tmp_path / "code")
    write_code(code, OFFLINE)
    job = str(tmp_path / "job")
    run = run_cli(local_args(code, job), job, env=PIP_ISOLATED)
    assert run.returncode != 0
    summary = run.stderr[run.stderr.index("legacy-compat: training failed:"):]
    requirements = os.path.join(code, "requirements.txt")
    for verdict in (summary, run.failure()):
        assert "No module named 'tinydep'" in verdict
        assert "%s was not installed" % requirements in verdict
        assert "--install-requirements" in verdict


def test_a_failing_install_is_a_clear_verdict(tmp_path):
    code = str(tmp_path / "code")
    write_code(code, "--no-index\n--find-links wheels\nno-such-package==9.9\n")
    job = str(tmp_path / "job")
    run = run_cli(local_args(code, job, ["--install-requirements"]), job, env=PIP_ISOLATED)
    assert run.returncode != 0
    failure = run.failure()
    assert "installing the requirements failed (pip exited with" in failure
    assert "no-such-package" in failure
    assert os.path.join(code, "requirements.txt") in failure
    assert "loading " not in run.output  # before the script is imported


def test_container_mode_source_archive_from_s3_and_sagemaker_requirements(s3_env, tmp_path):
    staging = str(tmp_path / "src")
    write_code(staging, OFFLINE)
    archive = str(tmp_path / "sourcedir.tar.gz")
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(staging, arcname=".")
    client = s3_env.client()
    client.create_bucket(Bucket="code")
    client.upload_file(archive, "code", "job-1/source/sourcedir.tar.gz")

    base = tmp_path / "opt_ml"
    config = base / "input" / "config"
    config.mkdir(parents=True)
    hyperparameters = dict(FAST, learning_rate=0.001,
                           sagemaker_program="train.py", sagemaker_requirements="requirements.txt",
                           sagemaker_submit_directory="s3://code/job-1/source/sourcedir.tar.gz")
    (config / "hyperparameters.json").write_text(
        json.dumps({k: json.dumps(v) for k, v in hyperparameters.items()}))
    (config / "inputdataconfig.json").write_text(json.dumps({"training": {}}))
    data = base / "input" / "data" / "training"
    data.mkdir(parents=True)
    for name in os.listdir(ABALONE_DATA):
        (data / name).write_bytes(open(os.path.join(ABALONE_DATA, name), "rb").read())

    env = dict(PIP_ISOLATED, LEGACY_COMPAT_BASE_DIR=str(base))
    run = run_cli(["train"], str(base), env=env)
    assert run.returncode == 0, run.output
    assert os.path.isfile(str(base / "code" / "train.py"))
    assert "extracted" in run.output and "s3://code/job-1/source/sourcedir.tar.gz" in run.output
    assert run.exports()
    assert not_importable_here("tinydep")


def container_env(tmp_path, submit):
    from legacy_compat.environment import Environment
    code = tmp_path / "opt_ml" / "code"
    return Environment(str(tmp_path / "opt_ml"), str(code / "train.py"),
                       {"sagemaker_submit_directory": submit, "sagemaker_program": "train.py"},
                       {}, code_dir=str(code), mode="container")


def test_a_local_archive_is_extracted_and_a_missing_host_path_means_mounted_code(tmp_path):
    archive = make_tar(str(tmp_path / "sourcedir.tar.gz"), [("train.py", "file", "x = 1\n")])
    env = container_env(tmp_path, "file://" + archive)
    sources.fetch_submit_directory(env)
    assert open(env.script_path).read() == "x = 1\n"
    # The SDK's local mode sends the host folder; in the container the code is mounted.
    mounted = container_env(tmp_path, "file:///home/someone/project/src")
    sources.fetch_submit_directory(mounted)
    assert open(mounted.script_path).read() == "x = 1\n"


def test_an_unsafe_archive_from_the_hyperparameter_fails_the_job(tmp_path):
    archive = make_tar(str(tmp_path / "sourcedir.tar.gz"), [("../../evil.py", "file", "x")])
    env = container_env(tmp_path, archive)
    with pytest.raises(sources.UnsafeArchiveError, match="'../../evil.py'"):
        sources.fetch_submit_directory(env)
    assert not (tmp_path / "evil.py").exists()
