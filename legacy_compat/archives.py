"""Extracting a source archive (``sourcedir.tar.gz``) without letting it write outside.

Each member is checked before it is extracted: no absolute path, no ``..``, nothing that
resolves (through links already on disk) outside the code directory, no link pointing out,
no device or FIFO. Python 2.7 and 3.6 have no ``tarfile`` extraction filter, so these checks
are the only guard there; where Python has one (``filter="data"``), it runs as well.
"""

import os
import tarfile

from legacy_compat.errors import ConfigError


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
