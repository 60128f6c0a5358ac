"""``legacy-compat convert SRC [-o OUT] [--in-place] [--diff] [--check] [--report FILE.json]``."""
import argparse
import dataclasses
import difflib
import os
import shutil
import sys
from typing import Optional

from legacy_compat.convert import helpers
from legacy_compat.convert.errors import ConvertError
from legacy_compat.convert.findings import ERROR, WARNING, Finding
from legacy_compat.convert.pipeline import convert_text
from legacy_compat.convert.report import json_report, text_report
from legacy_compat.convert.settings import KERAS_TARGET, NEWEST_TARGET, SUPPORTED_TARGETS, Settings
from legacy_compat.convert.source import SourceFile, atomic_write, read_source

EXIT_OK = 0              # converted, no ERROR findings
EXIT_FINDINGS = 1        # converted (output written) but ERROR findings remain
EXIT_USAGE = 2           # bad command line (argparse)
EXIT_BAD_INPUT = 3       # input unreadable / not Python / no legacy script; nothing written
EXIT_WOULD_CHANGE = 4    # --check: converting would change at least one file
EXIT_CANNOT_WRITE = 5    # an output could not be written (the message lists what was)
EXIT_INTERNAL = 6        # a bug in the converter; nothing (more) written

SKIP_DIRS = {"__pycache__", ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox",
             "node_modules"}

DESCRIPTION = """\
Convert a SageMaker TensorFlow Legacy Mode training script (Python 2.7,
TF 1.x) into a Python 3 Script Mode entry point for TensorFlow 2.12-2.21
(--target). For TF 2.16 and later, which have no tf.estimator, the entry point
imports legacy_compat.estimator: install legacy-compat[tf-modern] to run it.
--target keras writes Keras 3 scripts instead (plain TensorFlow 2.16+, no
Estimator); a file it cannot translate faithfully gets the Estimator target
and an ERROR saying why (docs/convert.md).

What the converted script needs besides its own code (the Script Mode entry
point, the tf.contrib and PipeModeDataset stand-ins: legacy-compat's own
runtime code) goes into one support module beside it, %s; the script
keeps its code plus a short `if __name__ == "__main__":` block. --single-file
puts it into the script instead (always so when the script is printed).

Findings are printed as `path:line:col: SEVERITY: message`; positions refer
to the converted file, where ERROR findings also appear as
`# legacy-compat: ERROR:` comments.

exit status: 0 converted without errors; 1 ERROR findings remain (output
written); 2 usage error; 3 unreadable or unparsable input (nothing written);
4 --check found files that would change; 5 an output could not be written
(each file is written whole or not at all; the message lists those written);
6 internal error in the converter (nothing more written; please report it).
""" % helpers.SUPPORT_FILE


def build_parser():
    parser = argparse.ArgumentParser(
        prog="legacy-compat convert", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("src", metavar="SRC",
                        help="a legacy training script, or a source directory")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="output file or directory (default for a file: print to stdout)")
    parser.add_argument("--in-place", action="store_true",
                        help="rewrite SRC, keeping the original as SRC.bak")
    parser.add_argument("--diff", action="store_true",
                        help="print a unified diff instead of the converted source")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 4 if converting would change a file")
    parser.add_argument("--report", metavar="FILE.json", help="also write the report as JSON")
    parser.add_argument("--single-file", action="store_true",
                        help="put the code the converted script carries into the script itself "
                        "instead of the support module %s beside it (always so when the "
                        "converted source is printed)" % helpers.SUPPORT_FILE)
    parser.add_argument("--target", metavar="tfX.Y|keras", type=_target, default=NEWEST_TARGET,
                        help="the TensorFlow release the converted script will run on, "
                        "tf%s ... tf%s (default: tf%s), or %s: Keras 3 without the Estimator"
                        % (SUPPORTED_TARGETS[0], SUPPORTED_TARGETS[-1], NEWEST_TARGET,
                           KERAS_TARGET))
    return parser


def _target(text):
    """``tf2.21`` or ``2.21`` (a patch release such as ``2.21.0`` means its X.Y), or ``keras``."""
    if text.lower() == KERAS_TARGET:
        return KERAS_TARGET
    release = text[2:] if text.lower().startswith("tf") else text
    release = ".".join(release.split(".")[:2])
    if release not in SUPPORTED_TARGETS:
        raise argparse.ArgumentTypeError(
            "unsupported TensorFlow %r; expected tfX.Y, one of %s"
            % (text, ", ".join("tf" + target for target in SUPPORTED_TARGETS)))
    return release


def _python_files(root):
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                found.append(os.path.join(directory, name))
    return found


def _other_files(root):
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if not name.endswith((".py", ".pyc", ".bak")):
                found.append(os.path.join(directory, name))
    return found


def _convert_all(paths, settings, keras=False):
    conversions, errors = [], []
    for path in paths:
        try:
            source = read_source(path)
            if keras:  # falling back, a file gets the Estimator target of ``settings``
                from legacy_compat.convert.keras import convert_keras  # only for its target
                conversions.append((source, convert_keras(source.text, path, settings)))
            else:
                conversions.append((source, convert_text(source.text, path, settings=settings)))
        except ConvertError as err:
            errors.append(err)
        except RecursionError:
            errors.append(ConvertError(
                path, "is nested too deeply to convert (Python's recursion limit)",
                "a Python 2.7 or Python 3 source file of ordinary depth",
                "Split the deepest nested expression or block, then run convert again."))
        except Exception as error:
            error.converting = path  # named in the internal-error message
            raise
    return conversions, errors


class _WriteError(Exception):
    def __init__(self, path, error, written):
        super().__init__(path)
        self.path, self.error, self.written = path, error, written


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    err = sys.stderr
    try:
        return _main(parser, args, sys.stdout, err)
    except _WriteError as failure:
        err.write("error: cannot write %s (%s); check that its folder exists and is writable "
                  "and that the disk has room, then run convert again.\n"
                  % (failure.path, failure.error.strerror or failure.error))
        err.write("legacy-compat convert: %s\n" % (
            "written before the failure: %s" % ", ".join(failure.written) if failure.written
            else "nothing written"))
        return EXIT_CANNOT_WRITE
    except Exception as error:  # never a traceback and never a half-written file
        err.write("error: internal error in legacy-compat convert (%s: %s) converting %s; "
                  "please report it with the input file.\n"
                  % (type(error).__name__, error, getattr(error, "converting", args.src)))
        err.write("legacy-compat convert: nothing more written\n")
        return EXIT_INTERNAL


@dataclasses.dataclass
class _Write:
    """One file a run produces: written, printed (``destination`` None) or shown as a diff."""

    destination: Optional[str]
    text: str
    source: Optional[SourceFile]  # the input it converts; None for a generated extra file
    mode_from: Optional[str]      # the file whose permission bits it takes
    changed: bool


def _main(parser, args, out, err):
    if args.in_place and args.output:
        parser.error("use either -o/--output or --in-place, not both")
    src = args.src
    is_dir = os.path.isdir(src)
    if not os.path.exists(src):
        return _fail([ConvertError(src, "does not exist", "a training script or a source "
                                   "directory", "Check the path.")], args, err)
    paths = _input_paths(parser, args, is_dir)
    # Printed to stdout, the script has no folder for the support module beside it.
    single_file = args.single_file or not (args.output or args.in_place or args.check or
                                           args.diff)
    paths = [path for path in paths if not _is_support_module(path)]
    keras = args.target == KERAS_TARGET
    settings = Settings(target_tf=NEWEST_TARGET if keras else args.target,
                        single_file=single_file)
    conversions, errors = _convert_all(paths, settings, keras)
    if not errors and is_dir and not any(c.is_legacy_script for _, c in conversions):
        errors.append(ConvertError(
            src, "contains no Legacy Mode training script", "a .py file defining "
            "train_input_fn and one of model_fn, keras_model_fn or estimator_fn",
            "Pass the directory that holds the training script (the legacy entry_point)."))
    if errors:
        return _fail(errors, args, err)

    conversions = _support_module_clashes(args, src, is_dir, conversions, settings)
    findings = [f for _, c in conversions for f in c.findings]
    writes = _plan_writes(args, is_dir, conversions, findings)
    _point_findings_at_outputs(findings, writes)
    exit_code = EXIT_FINDINGS if any(f.severity == ERROR for f in findings) else EXIT_OK
    if args.check and any(w.changed for w in writes):
        exit_code = EXIT_WOULD_CHANGE
    _emit(args, is_dir, writes, out)
    err.write(text_report(findings, len(conversions),
                          sum(1 for w in writes if w.source and w.changed)))
    if args.report:
        _write_report(args, findings, writes, exit_code)
    return exit_code


def _input_paths(parser, args, is_dir):
    """The .py files to convert: SRC itself, or those under the SRC directory (not under -o)."""
    src = args.src
    if not is_dir:
        if args.output and os.path.exists(args.output) and os.path.samefile(args.output, src):
            parser.error("-o must differ from SRC; use --in-place to rewrite SRC (it keeps "
                         "SRC.bak)")
        return [src]
    if not args.output and not (args.in_place or args.check or args.diff):
        parser.error("converting a directory needs -o OUT_DIR, --in-place, --check or --diff")
    paths = _python_files(src)
    if args.output:
        out_abs = os.path.abspath(args.output)
        if out_abs == os.path.abspath(src):
            parser.error("-o must differ from SRC; use --in-place to rewrite SRC")
        paths = [p for p in paths if not os.path.abspath(p).startswith(out_abs + os.sep)]
    return paths


def _plan_writes(args, is_dir, conversions, findings):
    """Each converted file and the extra files its conversion made (``inference.py``); an
    extra file that exists with other content is kept, with an ERROR finding."""
    writes = []
    for source, conversion in conversions:
        destination = _destination(args, args.src, is_dir, source.path)
        writes.append(_Write(destination, conversion.output, source, source.path,
                             conversion.changed))
        for name, text in sorted(conversion.extra_files.items()):
            base = os.path.dirname(destination) if destination else os.path.dirname(source.path)
            extra = os.path.join(base, name)
            existing = _read_text(extra)
            ours = name == helpers.SUPPORT_FILE  # replaced when it is (_support_module_clashes)
            if existing is not None and existing != text and not ours and not (
                    args.output is None and not args.in_place):
                if extra.endswith(name) and destination is not None:
                    findings.append(_extra_exists(source.path, extra))
                continue
            writes.append(_Write(extra if destination else None, text, None, None,
                                 existing != text))
    return writes


def _point_findings_at_outputs(findings, writes):
    """Findings name the converted file, where their line numbers hold."""
    destinations = {w.source.path: w.destination for w in writes
                    if w.source is not None and w.destination}
    for finding in findings:
        finding.path = destinations.get(finding.path, finding.path)


def _emit(args, is_dir, writes, out):
    """The diff (--diff), the files (-o, --in-place) or the converted source on stdout."""
    if args.diff:
        for write in writes:
            if write.source is None:
                continue
            out.write("".join(difflib.unified_diff(
                write.source.text.splitlines(True), write.text.splitlines(True),
                fromfile=write.source.path, tofile=write.destination or write.source.path)))
    if args.check:
        return
    if args.output or args.in_place:
        _write_all(args, args.src, is_dir, writes)
    elif not args.diff:
        for write in writes:
            if write.source is not None:
                out.write(write.text)


def _write_report(args, findings, writes, exit_code):
    records = [{"path": w.source.path if w.source else None, "output": w.destination,
                "changed": w.changed} for w in writes]
    try:
        atomic_write(args.report, json_report(findings, records, exit_code).encode("utf-8"))
    except OSError as error:
        written = [w.destination for w in writes
                   if w.destination and w.changed and not args.check]
        raise _WriteError(args.report, error, written)


def _is_support_module(path):
    """A support module written by an earlier conversion: replaced, never converted."""
    text = _read_text(path)
    return text is not None and helpers.is_support_module(text)


def _support_module_clashes(args, src, is_dir, conversions, settings):
    """Conversions whose support module would replace a file that is not one.

    ``legacy_mode.py`` may already exist beside the script (or be converted there
    from SRC) as the user's own module: it is never replaced. Such a script gets
    the carried code in itself instead, as with --single-file, and a WARNING.
    """
    own = set(os.path.abspath(_destination(args, src, is_dir, source.path) or source.path)
              for source, _ in conversions)
    result = []
    for source, conversion in conversions:
        if helpers.SUPPORT_FILE in conversion.extra_files:
            destination = _destination(args, src, is_dir, source.path) or source.path
            support = os.path.abspath(os.path.join(os.path.dirname(destination),
                                                   helpers.SUPPORT_FILE))
            existing = _read_text(support)
            if support in own or (existing is not None and not helpers.is_support_module(
                    existing)) or (existing is None and os.path.exists(support)):
                conversion = convert_text(source.text, source.path,
                                          settings=dataclasses.replace(settings, single_file=True))
                conversion.findings.insert(0, Finding(
                    source.path, 0, 0, WARNING,
                    "%s already exists and was not written by legacy-compat convert; the code "
                    "the script carries is in the script itself (as with --single-file)"
                    % support, "rename that module to get the short form with %s beside the "
                    "script" % helpers.SUPPORT_FILE, "script-mode-entry-point"))
        result.append((source, conversion))
    return result


def _extra_exists(path, extra):
    return Finding(path, 0, 0, ERROR, "%s already exists with other content; not overwritten"
                   % extra, "merge the generated handlers by hand (see --diff)", "serving-hooks")


def _read_text(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def _destination(args, src, is_dir, path):
    if args.in_place:
        return path
    if not args.output:
        return None
    if is_dir:
        return os.path.join(args.output, os.path.relpath(path, src))
    if os.path.isdir(args.output) or args.output.endswith(os.sep):
        return os.path.join(args.output, os.path.basename(path))
    return args.output


def _write_all(args, src, is_dir, writes):
    written = []
    target = None
    try:
        for write in writes:
            destination, source = write.destination, write.source
            if destination is None:
                continue
            target = destination
            if source is not None:
                data = source.encode(write.text)
            else:
                data = write.text.encode("utf-8")
            if args.in_place:
                if not write.changed:
                    continue
                if source is not None:
                    target = source.path + ".bak"
                    atomic_write(target, _read_bytes(source.path), mode_from=source.path)
                    written.append(target)
                    target = destination
            elif os.path.isfile(destination) and _read_bytes(destination) == data:
                continue
            atomic_write(destination, data, mode_from=write.mode_from)
            written.append(destination)
        if is_dir and args.output:
            for path in _other_files(src):
                if os.path.abspath(path).startswith(os.path.abspath(args.output) + os.sep):
                    continue
                target = os.path.join(args.output, os.path.relpath(path, src))
                if not os.path.exists(target):
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    shutil.copy2(path, target)
                    written.append(target)
    except OSError as error:
        raise _WriteError(target, error, written)


def _read_bytes(path):
    with open(path, "rb") as handle:
        return handle.read()


def _fail(errors, args, err):
    for error in errors:
        err.write("error: %s\n" % error.format())
    err.write("legacy-compat convert: nothing written\n")
    if args.report:
        try:
            atomic_write(args.report, json_report([], [], EXIT_BAD_INPUT,
                                                  [e.format() for e in errors]).encode("utf-8"))
        except OSError:
            pass
    return EXIT_BAD_INPUT
