"""The training image under a real container engine: podman (or docker), one container per host.

The image is built once per test run by container/build-image (`make image`), which reuses
legacy-compat:dev when the hash of its inputs has not changed. Without an engine every test
here skips, loudly; with CI set that is an error instead, like a matrix cell missing its Python.
"""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD_IMAGE = os.path.join(ROOT, "container", "build-image")
CONTAINERS_CONF = os.path.join(ROOT, "container", "containers.conf")
IMAGE = os.environ.get("LEGACY_COMPAT_IMAGE", "legacy-compat:dev")
EXAMPLES = os.path.join(ROOT, "examples")
SCRIPTS = os.path.join(ROOT, "tests", "fixtures", "scripts")
# Every container and network the tests make carries this label, so teardown finds them all.
LABEL = "org.legacy-compat.test"

_skipped = []
_timings = []


def engine_env():
    env = dict(os.environ)
    env.setdefault("CONTAINERS_CONF", CONTAINERS_CONF)
    return env


def find_engine():
    """``(path, None)`` for a container engine that answers, else ``(None, why not)``."""
    wanted = os.environ.get("CONTAINER_ENGINE")
    problems = []
    for name in ([wanted] if wanted else ["podman", "docker"]):
        path = shutil.which(name)
        if path is None:
            problems.append("%s is not installed" % name)
            continue
        proc = subprocess.run([path, "info"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=engine_env(), timeout=120)
        if proc.returncode == 0:
            return path, None
        last = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
        problems.append("`%s info` fails: %s" % (name, last))
    return None, "; ".join(problems)


class Container(object):
    def __init__(self, engine, name):
        self.engine = engine
        self.name = name

    def wait(self, timeout=600):
        """The exit code, once the container has ended (a hung job fails the test)."""
        proc = self.engine.run("wait", self.name, timeout=timeout)
        return int(proc.stdout.strip().splitlines()[-1])

    def logs(self):
        return self.engine.run("logs", self.name, check=False).stdout

    def running(self):
        proc = self.engine.run("inspect", "--format", "{{.State.Running}}", self.name, check=False)
        return proc.stdout.strip() == "true"

    def stop(self, grace):
        """`podman stop`: SIGTERM, then SIGKILL after ``grace`` seconds."""
        return self.engine.run("stop", "--time", str(grace), self.name, timeout=grace + 120)

    def kill(self):
        return self.engine.run("kill", self.name)


class Network(object):
    def __init__(self, name, gateway):
        self.name = name
        # The host as the containers on this network reach it (where the tests' S3 listens).
        self.gateway = gateway


class Engine(object):
    """The container engine's command line, and what the tests started with it."""

    def __init__(self, path):
        self.path = path
        self.session = uuid.uuid4().hex[:8]

    def run(self, *args, **kwargs):
        check = kwargs.pop("check", True)
        proc = subprocess.run([self.path] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=engine_env(),
                              timeout=kwargs.pop("timeout", 300))
        proc.stdout = proc.stdout.decode("utf-8", "replace")
        if check and proc.returncode != 0:
            raise AssertionError("%s %s failed (%d):\n%s" % (
                os.path.basename(self.path), " ".join(args), proc.returncode, proc.stdout[-4000:]))
        return proc

    def network(self):
        name = "lct-%s-%s" % (self.session, uuid.uuid4().hex[:6])
        self.run("network", "create", "--label", "%s=%s" % (LABEL, self.session), name)
        info = json.loads(self.run("network", "inspect", name).stdout)[0]
        subnets = info.get("subnets") or [  # podman, else docker
            {"gateway": config.get("Gateway")} for config in info["IPAM"]["Config"]]
        return Network(name, subnets[0]["gateway"])

    def start(self, host, command=("train",), volumes=(), env=None, network=None,
              aliases=()):
        """A detached container named after ``host`` (its hostname), as one host of a job."""
        name = "lct-%s-%s-%s" % (self.session, host, uuid.uuid4().hex[:4])
        args = ["run", "--detach", "--name", name, "--hostname", host,
                "--label", "%s=%s" % (LABEL, self.session)]
        args += ["--network", network.name] if network else ["--network", "none"]
        for alias in aliases if network else ():
            args += ["--network-alias", alias]
        for source, target in volumes:
            args += ["--volume", "%s:%s" % (source, target)]
        for key, value in sorted((env or {}).items()):
            args += ["--env", "%s=%s" % (key, value)]
        self.run(*(args + [IMAGE] + list(command)))
        return Container(self, name)

    def running(self):
        """Names of this session's containers that still run."""
        proc = self.run("ps", "--filter", "label=%s=%s" % (LABEL, self.session),
                        "--format", "{{.Names}}")
        return proc.stdout.split()

    def clean(self):
        proc = self.run("ps", "--all", "--filter", "label=%s=%s" % (LABEL, self.session),
                        "--format", "{{.Names}}", check=False)
        for name in proc.stdout.split():
            self.run("rm", "--force", name, check=False)
        proc = self.run("network", "ls", "--filter", "label=%s=%s" % (LABEL, self.session),
                        "--format", "{{.Name}}", check=False)
        for name in proc.stdout.split():
            self.run("network", "rm", "--force", name, check=False)


@pytest.fixture(scope="session")
def engine():
    path, why = find_engine()
    if path is None:
        message = ("no container engine (%s): the container tests did NOT run. Install podman "
                   "(Debian, as root: container/install-engine) or docker" % why)
        if os.environ.get("CI"):
            pytest.fail("CI: " + message, pytrace=False)
        _skipped.append(message)
        pytest.skip(message)
    found = Engine(path)
    yield found
    found.clean()


@pytest.fixture(scope="session")
def image(engine):
    """legacy-compat:dev, built from this checkout (or reused when its inputs are unchanged)."""
    env = engine_env()
    env.update(PYTHON=sys.executable, CONTAINER_ENGINE=engine.path, IMAGE=IMAGE)
    started = time.time()
    proc = subprocess.run([BUILD_IMAGE], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env=env, timeout=3600)
    output = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0:
        pytest.fail("container/build-image failed (%d):\n%s" % (proc.returncode, output[-6000:]),
                    pytrace=False)
    _timings.append("image %s ready in %.0f s (%s)" % (
        IMAGE, time.time() - started, output.strip().splitlines()[-1]))
    return IMAGE


@pytest.fixture
def network(engine, image):
    """A private network of the test's own: the hosts find each other by name on it."""
    return engine.network()


def pytest_terminal_summary(terminalreporter):
    for line in _timings:
        terminalreporter.write_line("containers: " + line)
    if _skipped:
        rule = "!" * 78
        terminalreporter.write_line(rule)
        terminalreporter.write_line("!! CONTAINER TESTS SKIPPED: " + _skipped[0])
        terminalreporter.write_line("!! The image and the multi-container jobs were NOT tested; "
                                    "with CI set this is an error.")
        terminalreporter.write_line(rule)


# -- the SageMaker contract on the host side ----------------------------------------------------
def source_archive(path, *files):
    """sourcedir.tar.gz as the SageMaker SDK makes it: the files at the archive's top level."""
    with tarfile.open(str(path), "w:gz") as tar:
        for name in files:
            tar.add(name, arcname=os.path.basename(name))
    return str(path)


def opt_ml(root, program, submit_directory, hyperparameters, hosts=("algo-1",),
           current_host="algo-1", channels=None):
    """A host's /opt/ml as SageMaker mounts it: input/config/*.json (every hyperparameter
    JSON-encoded, as the SDK sends them) and the channels' files under input/data/."""
    root = str(root)
    config = os.path.join(root, "input", "config")
    os.makedirs(config)
    encoded = dict((key, json.dumps(value)) for key, value in hyperparameters.items())
    encoded["sagemaker_program"] = json.dumps(program)
    encoded["sagemaker_submit_directory"] = json.dumps(submit_directory)
    encoded.setdefault("sagemaker_region", json.dumps("us-east-1"))
    files = {
        "hyperparameters.json": encoded,
        "resourceconfig.json": {"current_host": current_host, "hosts": list(hosts),
                                "network_interface_name": "eth0"},
        "inputdataconfig.json": dict(
            (name, {"TrainingInputMode": "File", "S3DistributionType": "FullyReplicated",
                    "RecordWrapperType": "None"}) for name in (channels or {})),
    }
    for name, content in files.items():
        with open(os.path.join(config, name), "w") as handle:
            json.dump(content, handle)
    for name, source in (channels or {}).items():
        shutil.copytree(source, os.path.join(root, "input", "data", name))
    return root
