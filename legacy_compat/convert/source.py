"""Reading a source file the way Python itself would, and writing it back."""
import io
import os
import re
import tempfile
import tokenize

from legacy_compat.convert.errors import ConvertError

EXPECTED = "a Python 2.7 or Python 3 source file"


class SourceFile:
    """Decoded text (with ``\\n`` newlines) plus what is needed to write it back."""

    def __init__(self, path, text, encoding="utf-8", newline="\n", bom=False):
        self.path = str(path)
        self.text = text
        self.encoding = encoding
        self.newline = newline
        self.bom = bom

    def encode(self, text):
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        data = text.encode(self.encoding)
        if self.bom:
            data = b"\xef\xbb\xbf" + data
        return data


def read_source(path):
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        raise ConvertError(path, "cannot read the file (%s)" % (err.strerror or err), EXPECTED,
                           "Check the path and its permissions.")
    return decode_source(path, data)


def decode_source(path, data):
    if b"\x00" in data:
        raise ConvertError(path, "looks like a binary file (it contains NUL bytes)", EXPECTED,
                           "Pass the training script (.py), not a compiled or data file.")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as err:
        first_lines = b"\n".join(data.split(b"\n")[:2])
        if not re.search(rb"coding[:=]", first_lines):
            raise ConvertError(
                path, "cannot be decoded as utf-8 (%s)" % err, EXPECTED,
                "Save the file as UTF-8, or declare its real encoding with a PEP 263 "
                "'# -*- coding: <name> -*-' line.")
        raise ConvertError(path, "has an invalid coding declaration (%s)" % err, EXPECTED,
                           "Fix or remove the '# -*- coding: ... -*-' line.")
    bom = encoding == "utf-8-sig"
    if bom:
        data = data[3:]
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ConvertError(
            path, "cannot be decoded as %s (byte %d)" % (encoding, err.start), EXPECTED,
            "Save the file as UTF-8, or declare its real encoding with a PEP 263 "
            "'# -*- coding: <name> -*-' line.")
    newline = "\r\n" if text.count("\r\n") > text.count("\n") / 2 and "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceFile(path, text, encoding, newline, bom)


def atomic_write(path, data, mode_from=None):
    """Write ``data`` (bytes) to ``path`` via a temporary file and ``os.replace``."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temp_path = tempfile.mkstemp(dir=directory, prefix=".%s." % os.path.basename(path),
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if mode_from and os.path.exists(mode_from):
            os.chmod(temp_path, os.stat(mode_from).st_mode & 0o7777)
        else:
            os.chmod(temp_path, 0o644)
        os.replace(temp_path, path)
    except BaseException:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
        raise
