"""nox sessions for legacy-compat.

The TensorFlow version matrix runs the *real* TensorFlow releases:

    nox -t ci                         # the subset CI runs (TF 1.4.1, 1.10.1 on 2.7; 2.21.0 on 3.13)
    nox -t matrix                     # every cell, GPU cells skip without a GPU
    nox -s "matrix(tf1.4.1-py2.7)"    # one cell; ``nox -l`` lists them
    nox -t ci -- -k smoke             # arguments after ``--`` go to pytest

Each cell writes a junit report to ``$LEGACY_COMPAT_MATRIX_REPORTS/<cell id>.xml`` (default
``.nox/matrix-reports/``), the input of ``tests/matrix/compat_report.py``.

The cells come from one table, ``tests/matrix/versions.py``.

How the environments are made (and why not by nox itself):

* The nox in .venv (2026.10.20) finds interpreters with python-discovery, which refuses
  Python 2.7 ("older than the minimum 3.6 python-discovery can query"), so nox cannot make a 2.7
  session. The matrix sessions therefore use ``venv_backend="none"`` and build their own environment under
  ``.nox/matrix-<cell>/`` with ``virtualenv`` from the Python that runs nox. ``virtualenv<20.22``
  is needed there: 20.22 dropped creating Python <= 3.6 environments.
* Interpreters: ``$LEGACY_COMPAT_PYTHON<major><minor>`` (e.g. ``LEGACY_COMPAT_PYTHON27``) if set,
  else ``~/.pyenv/versions/<X.Y>.*/bin/python<X.Y>``, else ``python<X.Y>`` on PATH (pyenv shims that
  are not active are rejected because they do not run).
* An environment is reused while its stamp (interpreter, requirement, constraint file, recipe)
  matches; ``LEGACY_COMPAT_MATRIX_REBUILD=1`` forces a rebuild. The project itself is reinstalled
  on every run (it is small), from a copy of the source tree so old pips neither copy ``.venv``/``.nox``
  nor write ``build/`` into the checkout.
* pip is isolated from this machine's pip configuration: ``PIP_CONFIG_FILE=/dev/null`` (pip then
  reads no config file, so no global ``constraint=`` and no extra local indexes) and every other
  ``PIP_*`` variable is dropped except ``PIP_CERT``/``PIP_DEFAULT_TIMEOUT``/``PIP_INDEX_URL``.
  The only constraints are the cell's own file in ``tests/matrix/constraints/``.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2024.4.15"
nox.options.error_on_missing_interpreters = False

ROOT = Path(__file__).resolve().parent
MATRIX_DIR = ROOT / "tests" / "matrix"
CONSTRAINTS_DIR = MATRIX_DIR / "constraints"
# The Keras-only cells' tests: converted scripts on TensorFlow alone (versions.is_keras_only).
KERAS_CELL_DIR = MATRIX_DIR / "keras_cell"

sys.path.insert(0, str(MATRIX_DIR))
import versions  # noqa: E402  (tests/matrix/versions.py: the matrix table)

sys.path.pop(0)

# Bump when the way an environment is built changes, so stamped environments are rebuilt.
RECIPE = "1"
# pip settings that survive the isolation (see module docstring).
PIP_KEEP = {"PIP_CERT", "PIP_DEFAULT_TIMEOUT", "PIP_INDEX_URL", "PIP_RETRIES"}
# Top-level entries never copied when installing the project from a copy of the tree.
COPY_IGNORE = {
    ".git", ".venv", ".nox", ".matrix-envs", ".pytest_cache", "__pycache__", "build", "dist",
    "legacy-compat-job", "tests", "bench", "docs", "examples",
}


def _version_of(python: str) -> tuple[int, ...] | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, timeout=60, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    return tuple(int(p) for p in out.stdout.strip().split("."))


def find_interpreter(version: str) -> str | None:
    want = tuple(int(p) for p in version.split("."))
    candidates = []
    override = os.environ.get("LEGACY_COMPAT_PYTHON" + version.replace(".", ""))
    if override:
        candidates.append(override)
    pyenv_root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = glob.glob(os.path.join(pyenv_root, "versions", version + ".*", "bin", "python" + version))
    candidates += sorted(found, key=lambda p: [int(x) for x in p.split(os.sep)[-3].split(".")
                                                if x.isdigit()], reverse=True)
    on_path = shutil.which("python" + version)
    if on_path:
        candidates.append(on_path)
    for candidate in candidates:
        if _version_of(candidate) == want:
            return candidate
    return None


def gpu_visible() -> tuple[bool, str]:
    smi = shutil.which("nvidia-smi")
    if not smi:
        return False, "nvidia-smi not found"
    try:
        out = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"nvidia-smi failed: {exc}"
    if out.returncode != 0 or "GPU" not in out.stdout:
        return False, f"nvidia-smi -L lists no GPU (exit {out.returncode})"
    return True, out.stdout.strip().splitlines()[0]


def pip_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") or k in PIP_KEEP}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    return env


def _virtualenv_ok(python_version: tuple[int, ...]) -> str | None:
    """Return an error message when this nox's virtualenv cannot create the env."""
    try:
        import virtualenv  # noqa: PLC0415
    except ImportError:
        return "virtualenv is not installed next to nox"
    from packaging.version import Version  # noqa: PLC0415

    if python_version < (3, 7) and Version(virtualenv.__version__) >= Version("20.22"):
        return (
            f"virtualenv {virtualenv.__version__} cannot create Python "
            f"{'.'.join(map(str, python_version))} environments; install 'virtualenv<20.22' "
            "next to nox"
        )
    return None


def _stamp(interpreter: str, cell: versions.Cell) -> str:
    digest = hashlib.sha256()
    extras = versions.extra_installs(cell)
    for part in (RECIPE, os.path.realpath(interpreter), versions.requirement(cell),
                 (CONSTRAINTS_DIR / cell.constraints).read_text()):
        digest.update(part.encode() + b"\0")
    if extras:  # only where there are any, so older cells keep their stamps
        digest.update(repr(extras).encode() + b"\0")
    return digest.hexdigest()


def _copy_project(envdir: Path) -> str:
    dest = envdir / "tmp" / "legacy-compat-src"
    if dest.exists():
        shutil.rmtree(dest)

    def ignore(directory, names):
        if Path(directory) == ROOT:
            return [n for n in names if n in COPY_IGNORE or n.endswith(".egg-info")]
        return [n for n in names if n == "__pycache__" or n.endswith((".pyc", ".egg-info"))]

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    return str(dest)


def skip_loudly(session: nox.Session, message: str) -> None:
    """Skip a cell so that nobody mistakes the run for a pass of that TensorFlow release.

    nox lists a skipped session among the successful ones and exits 0, so without this
    a machine missing Python 2.7 would report a green `make test` that tested no TF 1.x.
    """
    rule = "!" * 78
    sys.stderr.write(f"\n{rule}\n!! MATRIX CELL {session.name} SKIPPED: {message}\n"
                     "!! This TensorFlow release was NOT tested. Install the interpreter to test "
                     "it;\n!! with CI set, this is an error instead of a skip.\n"
                     f"{rule}\n\n")
    sys.stderr.flush()
    session.skip(message)


CELL_PARAMS = [
    nox.param(cell, id=versions.cell_id(cell), tags=list(cell.tags)) for cell in versions.CELLS
]


@nox.session(venv_backend="none", default=False)
@nox.parametrize("cell", CELL_PARAMS)
def matrix(session: nox.Session, cell: versions.Cell) -> None:
    """Install one real TensorFlow release (pinned deps) + legacy_compat, run tests/matrix."""
    cid = versions.cell_id(cell)
    if versions.is_gpu(cell):
        ok, why = gpu_visible()
        if not ok:
            session.skip(f"GPU cell {cid} needs a visible GPU: {why}")
        session.log(f"GPU: {why}")

    interpreter = find_interpreter(cell.python)
    if interpreter is None:
        message = (f"Python {cell.python} not found (pyenv ~/.pyenv/versions/{cell.python}.*, "
                   f"python{cell.python} on PATH, or LEGACY_COMPAT_PYTHON"
                   f"{cell.python.replace('.', '')})")
        if os.environ.get("CI"):
            session.error(message)
        skip_loudly(session, message)
    python_version = tuple(int(p) for p in cell.python.split("."))

    constraints = CONSTRAINTS_DIR / cell.constraints
    envdir = ROOT / ".nox" / ("matrix-" + cid)
    python = str(envdir / "bin" / "python")
    stamp_file = envdir / "matrix-stamp.txt"
    stamp = _stamp(interpreter, cell)
    env = pip_env()
    pip = [python, "-m", "pip", "install", "--no-input", "-c", str(constraints)]

    fresh = not (
        os.environ.get("LEGACY_COMPAT_MATRIX_REBUILD") != "1"
        and stamp_file.is_file()
        and stamp_file.read_text().strip() == stamp
        and os.path.exists(python)
    )
    if fresh:
        problem = _virtualenv_ok(python_version)
        if problem:
            session.error(problem)
        if envdir.exists():
            shutil.rmtree(envdir)
        session.run_install(sys.executable, "-m", "virtualenv", "--quiet", "--no-periodic-update",
                            "-p", interpreter, str(envdir), external=True, env=env,
                            include_outer_env=False)
        session.run_install(*pip, versions.requirement(cell), "pytest", external=True, env=env,
                            include_outer_env=False)
        for args in versions.extra_installs(cell):
            session.run_install(*pip, *args, external=True, env=env, include_outer_env=False)
    else:
        session.log(f"Reusing {envdir.relative_to(ROOT)} (stamp matches; "
                    "LEGACY_COMPAT_MATRIX_REBUILD=1 rebuilds)")
    # The project, from a copy of the tree (a local directory is always rebuilt and reinstalled),
    # with pip's build isolation: TF 1.10 pins setuptools<=39.1.0 in the env, whose PEP 517
    # backend fails on py2.7 ("'egg_base' must be a directory name"). Its install_requires are
    # pinned by the same constraint file.
    if not versions.is_keras_only(cell):
        session.run_install(*pip, _copy_project(envdir), external=True,
                            env=env, include_outer_env=False)
    if fresh:
        stamp_file.write_text(stamp + "\n")

    project = "" if versions.is_keras_only(cell) else ", legacy_compat"
    check = (
        "import sys, tensorflow as tf" + project + "; "
        "got = ('%d.%d' % sys.version_info[:2], tf.__version__); "
        "print('cell {0}: python %s, tensorflow %s' % got); "
        "sys.exit(0 if got == ({1!r}, {2!r}) else 'installed %s/%s, cell wants {1}/{2}' % got)"
    ).format(cid, cell.python, cell.tf)
    if versions.is_keras_only(cell):
        # Only legacy_compat's absence proves the converted scripts need nothing of it.
        session.run(python, "-I", "-c", "import importlib.util as u, sys; sys.exit(['installed: ' + n "
                    "for n in ('legacy_compat', 'tf_keras', 'tensorflow_estimator') "
                    "if u.find_spec(n)] or 0)", external=True)
    tests = [str(KERAS_CELL_DIR)] if versions.is_keras_only(cell) else [
        str(MATRIX_DIR), "--ignore", str(KERAS_CELL_DIR)]
    test_env = dict(os.environ)
    test_env.update({
        "LEGACY_COMPAT_MATRIX_CELL": cid,
        "LEGACY_COMPAT_MATRIX_TF": cell.tf,
        "LEGACY_COMPAT_MATRIX_PYTHON": cell.python,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    session.run(python, "-c", check, external=True, env=test_env)
    if versions.is_keras_only(cell):
        # The exports `legacy-compat train` makes of the originals, by the Python running nox
        # (legacy-compat and TF 2.15): the cell sends the same request to them and to its own.
        legacy = envdir / "legacy-exports"
        session.run(sys.executable, str(KERAS_CELL_DIR / "legacy_exports.py"), str(legacy),
                    external=True)
        test_env["LEGACY_COMPAT_LEGACY_EXPORTS"] = str(legacy)
    # One junit report per cell (tests/matrix/compat_report.py renders them as a table).
    reports = Path(os.environ.get("LEGACY_COMPAT_MATRIX_REPORTS", ROOT / ".nox" / "matrix-reports"))
    reports.mkdir(parents=True, exist_ok=True)
    session.run(
        python, "-m", "pytest", "-c", str(MATRIX_DIR / "pytest.ini"), "--rootdir", str(MATRIX_DIR),
        "--confcutdir", str(MATRIX_DIR), "-p", "no:cacheprovider", "-rs",
        "--junitxml", str(reports / (cid + ".xml")), *tests,
        *session.posargs, external=True, env=test_env,
    )


@nox.session(venv_backend="none", default=False)
def compatibility(session: nox.Session) -> None:
    """Update docs/compatibility.md with the junit reports of the cells run since."""
    reports = Path(os.environ.get("LEGACY_COMPAT_MATRIX_REPORTS", ROOT / ".nox" / "matrix-reports"))
    if not any(reports.glob("*.xml")):
        session.error(f"no matrix reports in {reports}: run `nox -t matrix` first")
    page = ROOT / "docs" / "compatibility.md"
    # Cells without a report keep their column from the page (a run of a few cells updates them).
    keep = ["--keep", str(page)] if page.is_file() else []
    output = subprocess.run([sys.executable, str(MATRIX_DIR / "compat_report.py"), str(reports),
                             *keep], check=True, capture_output=True, text=True).stdout
    page.write_text(output)
    session.log("wrote docs/compatibility.md")
