"""The user's code and its dependencies: ``sagemaker_submit_directory`` and ``sagemaker_requirements``.

The legacy container downloaded ``sourcedir.tar.gz`` (``sagemaker_submit_directory``)
into ``/opt/ml/code`` and ran ``pip install -r <sagemaker_requirements>`` before
importing the script. Here the archive is extracted member by member after
checking that nothing in it can land outside the code directory, and packages
are installed into a job-local prefix put in front of ``sys.path``, so the
interpreter's own site-packages never change.
"""

import logging
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile

from legacy_compat import storage
from legacy_compat.errors import ConfigError

logger = logging.getLogger("legacy_compat")

REQUIREMENTS_FILE = "requirements.txt"
PACKAGES_DIR = "packages"


class UnsafeArchiveError(ConfigError):
    """A source archive member would be written outside the code directory."""


def _inside(path, root):
    path = os.path.realpath(path)
    root = os.path.realpath(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def check_member(member, dest, archive):
    """Refuse a member that is absolute, climbs out, links out, or is a device or FIFO."""
    name = member.name

    def refuse(problem):
        raise UnsafeArchiveError(
            "refusing archive member %r: %s" % (name, problem), path=archive,
            hint="rebuild the archive from the source directory itself (tar -czf "
                 "sourcedir.tar.gz -C SRC .), without absolute paths, '..' or links leaving it")

    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        refuse("absolute path")
    if ".." in name.replace("\\", "/").split("/"):
        refuse("a '..' path component")
    target = os.path.join(dest, name)
    # Checked against what is on disk now, so a directory symlink extracted
    # earlier cannot carry a later member outside.
    if not _inside(os.path.dirname(target) or dest, dest) or not _inside(target, dest):
        refuse("it resolves outside the code directory")
    if member.ischr() or member.isblk() or member.isfifo() or not (
            member.isfile() or member.isdir() or member.issym() or member.islnk()):
        refuse("a device, FIFO or other special file")
    if member.issym():
        link = member.linkname
        if os.path.isabs(link) or not _inside(os.path.join(os.path.dirname(target), link), dest):
            refuse("a symbolic link to %r, outside the code directory" % link)
    if member.islnk():
        link = member.linkname
        if os.path.isabs(link) or not _inside(os.path.join(dest, link), dest):
            refuse("a hard link to %r, outside the code directory" % link)


def extract_archive(archive, dest):
    """Extract a (gzipped) tar into ``dest`` after checking every member; return the names."""
    if not os.path.isdir(dest):
        os.makedirs(dest)
    try:
        tar = tarfile.open(archive, "r:*")
    except (tarfile.TarError, IOError, OSError) as exc:
        raise ConfigError("cannot open the source archive (%s)" % exc, path=archive,
                          hint="sagemaker_submit_directory must be a .tar.gz of the source directory")
    names = []
    with tar:
        kwargs = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        for member in tar.getmembers():
            check_member(member, dest, archive)
            tar.extract(member, dest, **kwargs)
            names.append(member.name)
    return names


def fetch_submit_directory(env, s3=None):
    """Put ``sagemaker_submit_directory`` into ``env.code_dir`` (container mode), as the container did.

    ``s3://.../sourcedir.tar.gz`` is downloaded; a local ``.tar.gz`` (``file://``
    or a path) is extracted; a local directory other than the code directory
    is copied. A path that does not exist here means the code is already
    mounted in the code directory (the legacy rule; the SDK's local mode).
    """
    source = env.hyperparameters.get("sagemaker_submit_directory")
    if not source or not env.code_dir or env.mode != "container":
        return
    if storage.is_remote(source):
        s3 = s3 or storage.S3()
        work = tempfile.mkdtemp(prefix="legacy-compat-source-")
        try:
            archive = os.path.join(work, "sourcedir.tar.gz")
            logger.info("downloading the source archive %s", source)
            s3.download_file(source, archive)
            names = extract_archive(archive, env.code_dir)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    else:
        path = storage.local_path(source)
        if os.path.isdir(path):
            if os.path.realpath(path) == os.path.realpath(env.code_dir):
                return
            names = _copy_tree(path, env.code_dir)
        elif os.path.isfile(path):
            names = extract_archive(path, env.code_dir)
        else:
            # The SDK's local mode sends the host folder (file://...) and mounts it as the
            # code folder; the legacy container ignored it, and so do we.
            logger.info("sagemaker_submit_directory %s is not on this machine; using the code "
                        "in %s", source, env.code_dir)
            return
    logger.info("extracted %d file(s) from %s into %s", len(names), source, env.code_dir)


def _copy_tree(source, dest):
    copied = []
    for root, _, files in os.walk(source):
        relative = os.path.relpath(root, source)
        target_dir = os.path.normpath(os.path.join(dest, relative))
        if not os.path.isdir(target_dir):
            os.makedirs(target_dir)
        for name in files:
            shutil.copy2(os.path.join(root, name), os.path.join(target_dir, name))
            copied.append(os.path.join(relative, name))
    return copied


# -- requirements ------------------------------------------------------------------------------
def requirements_file(env):
    """The requirements file of the job: ``sagemaker_requirements`` or ``requirements.txt``, or None."""
    base = env.code_dir or (os.path.dirname(env.script_path) if env.script_path else None)
    if base is None:
        return None
    named = env.hyperparameters.get("sagemaker_requirements")
    if named:
        path = os.path.join(base, str(named))
        if not os.path.isfile(path):
            # The legacy container only warned here, and so do we.
            logger.warning("sagemaker_requirements names %s, which does not exist; "
                           "installing nothing", path)
            return None
        return path
    path = os.path.join(base, REQUIREMENTS_FILE)
    return path if os.path.isfile(path) else None


def packages_dir(env):
    return os.path.join(env.base_dir, PACKAGES_DIR)


def site_dirs(prefix):
    """The import directories pip fills for ``pip install --prefix PREFIX``."""
    found = []
    scheme = "nt" if os.name == "nt" else "posix_prefix"
    for key in ("purelib", "platlib"):
        path = sysconfig.get_path(key, scheme, vars={"base": prefix, "platbase": prefix})
        if path not in found:
            found.append(path)
    return found


def activate_packages(prefix):
    """Put a job's installed packages first on ``sys.path`` (and PYTHONPATH for child processes)."""
    for path in reversed(site_dirs(prefix)):
        if path not in sys.path:
            sys.path.insert(0, path)
    known = os.environ.get("PYTHONPATH", "")
    extra = [p for p in site_dirs(prefix) if p not in known.split(os.pathsep)]
    os.environ["PYTHONPATH"] = os.pathsep.join(extra + ([known] if known else []))


def install_requirements(env, allowed):
    """Install the job's requirements before the script is imported.

    ``allowed`` is True in a container (the legacy behaviour) and, in local
    mode, only with ``--install-requirements``. Packages already importable are
    left alone (pip's ``--prefix`` resolution), new ones go to
    ``<job>/packages``. A failing pip ends the job with a clear error.
    """
    path = requirements_file(env)
    if path is None:
        return None
    if not allowed:
        logger.info("%s is not installed in local mode; pass --install-requirements to install "
                    "it into %s", path, packages_dir(env))
        return None
    prefix = packages_dir(env)
    env_vars = dict(os.environ)
    known = [p for p in site_dirs(prefix)]
    if env_vars.get("PYTHONPATH"):
        known.append(env_vars["PYTHONPATH"])
    # pip then counts what an earlier run installed here as present.
    env_vars["PYTHONPATH"] = os.pathsep.join(known)
    command = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check",
               "--no-input", "--prefix", prefix, "-r", path]
    logger.info("installing the requirements in %s into %s", path, prefix)
    proc = subprocess.Popen(command, cwd=os.path.dirname(path), env=env_vars,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.communicate()[0].decode("utf-8", "replace")
    for line in output.splitlines():
        logger.info("pip: %s", line)
    if proc.returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-15:])
        raise ConfigError(
            "installing the requirements failed (pip exited with %d):\n%s" % (proc.returncode, tail),
            path=path, hint="fix the requirement named above; offline, list a local wheel "
                            "folder in the file with --find-links DIR (and --no-index)")
    activate_packages(prefix)
    return prefix


def not_installed_hint(env, exc):
    """What to do when the script's import failed and its requirements file was not installed.

    Local mode installs a job's requirements only with ``--install-requirements``; the INFO
    line saying so is long gone when the import fails, so the verdict repeats it.
    """
    if not isinstance(exc, ImportError):
        return None
    path = requirements_file(env)
    if path is None:
        return None
    return ("  %s was not installed: local mode installs a job's requirements only when asked.\n"
            "  Rerun the same command with --install-requirements added:\n"
            "    legacy-compat train ... --install-requirements\n"
            "  (it installs them into %s for this job only), or install them into this Python:\n"
            "    %s -m pip install -r %s" % (path, packages_dir(env), sys.executable, path))
