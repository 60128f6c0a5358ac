"""Run `legacy-compat convert` over real and random inputs and check every verdict.

    python -m tests.convert.sweep [--sample N] [--random N] [--in-place-every N]

Inputs: every ``.py`` file of the Python 2.7 and 3.11 standard libraries (or a
seeded sample of N per library), and random inputs from fixed seeds (plain
random bytes, and real files with random bytes flipped, inserted or cut).

For each input the converter runs through its command line (in this process)
with ``-o``; a failure, and one success in ``--in-place-every``, also run
``--in-place`` on a copy.  An input passes when:

* the exit code is a documented one (0, 1 converted; 3 refused), no exception
  escapes and nothing is printed on stderr that looks like a traceback;
* exit 3: stderr names the file and says "nothing written", no output file,
  no ``.bak`` and no temporary file exist, and ``--in-place`` left the input
  byte-identical;
* exit 0 / 1: the output exists, compiles as Python 3, is empty only when the
  input was, and the input is unchanged (``--in-place``: ``.bak`` holds the
  original bytes).
"""
import argparse
import collections
import contextlib
import io
import os
import random
import shutil
import sys
import tempfile
import time
import warnings

from legacy_compat.convert.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, main

STDLIBS = {
    "python2.7": os.path.expanduser("~/.pyenv/versions/2.7.18/lib/python2.7"),
    "python3.11": os.path.expanduser("~/.pyenv/versions/3.11.7/lib/python3.11"),
}
DOCUMENTED = (EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT)


def stdlib_files(root):
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d != "site-packages")
        found.extend(os.path.join(directory, name) for name in sorted(files)
                     if name.endswith(".py"))
    return found


def random_inputs(count, seed, corpus):
    """``count`` (name, bytes): random bytes, and real files with random damage."""
    rng = random.Random(seed)
    inputs = []
    for number in range(count):
        kind = number % 3
        if kind == 0:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 2048)))
        else:
            with open(rng.choice(corpus), "rb") as handle:
                data = bytearray(handle.read()[:8192])
            for _ in range(rng.randrange(1, 8)):
                position = rng.randrange(len(data) + 1)
                action = rng.choice(("flip", "insert", "cut"))
                if action == "flip" and position < len(data):
                    data[position] = rng.randrange(256)
                elif action == "insert":
                    data[position:position] = bytes(rng.randrange(32, 127)
                                                    for _ in range(rng.randrange(1, 4)))
                else:
                    del data[position:position + rng.randrange(1, 40)]
            data = bytes(data)
        inputs.append(("random-%d-%03d.py" % (seed, number), data))
    return inputs


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code
        except BaseException as error:  # a crash: what the sweep is looking for
            if isinstance(error, KeyboardInterrupt):
                raise
            return "crash", "%s: %s" % (type(error).__name__, error)
    return code, err.getvalue()


def _leftovers(directory, keep):
    return sorted(name for name in os.listdir(directory) if name not in keep)


def check_one(name, data, work, in_place, refusals=None):
    """Problems found converting ``data`` (bytes) named ``name``; [] when it passes."""
    problems = []
    src_dir = os.path.join(work, "src")
    out_dir = os.path.join(work, "out")
    for directory in (src_dir, out_dir):
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
    src = os.path.join(src_dir, "train.py")
    out = os.path.join(out_dir, "train.py")
    with open(src, "wb") as handle:
        handle.write(data)

    code, stderr = _run([src, "-o", out])
    if code == "crash":
        return code, ["crashed: %s" % stderr]
    if code == EXIT_BAD_INPUT and refusals is not None:
        refusals.append((name, stderr.splitlines()[0] if stderr else ""))
    if code not in DOCUMENTED:
        problems.append("undocumented exit code %r" % (code,))
    if "Traceback" in stderr:
        problems.append("traceback on stderr")
    if _read(src) != data:
        problems.append("-o changed the input")
    if code == EXIT_BAD_INPUT:
        if src not in stderr or "nothing written" not in stderr:
            problems.append("refusal does not name the file: %r" % stderr[-300:])
        if os.listdir(out_dir):
            problems.append("refused but wrote %s" % os.listdir(out_dir))
    elif code in (EXIT_OK, EXIT_FINDINGS):
        output = _read(out)
        if output is None:
            problems.append("converted but no output file")
        else:
            if not output.strip() and data.strip():
                problems.append("empty output for a non-empty input")
            try:
                with warnings.catch_warnings():  # the standard library's own SyntaxWarnings
                    warnings.simplefilter("ignore")
                    compile(output, out, "exec", dont_inherit=True)
            except (SyntaxError, ValueError) as err:
                problems.append("output does not compile: %s" % err)
        extra = _leftovers(out_dir, {"train.py", "inference.py"})
        if extra:
            problems.append("stray files in the output folder: %s" % extra)

    if in_place or code not in (EXIT_OK, EXIT_FINDINGS):
        in_code, in_stderr = _run([src, "--in-place"])
        if in_code == "crash":
            return in_code, problems + ["--in-place crashed: %s" % in_stderr]
        if in_code != code:
            problems.append("--in-place exit %r, -o exit %r" % (in_code, code))
        if in_code == EXIT_BAD_INPUT:
            if _read(src) != data:
                problems.append("--in-place refused but changed the input")
            if _leftovers(src_dir, {"train.py"}):
                problems.append("--in-place refused but left %s" % _leftovers(src_dir, {"train.py"}))
        elif in_code in (EXIT_OK, EXIT_FINDINGS):
            backup = _read(src + ".bak")
            if backup is not None and backup != data:
                problems.append("--in-place .bak differs from the original")
            if backup is None and _read(src) != data:
                problems.append("--in-place changed the file without a .bak")
            if _leftovers(src_dir, {"train.py", "train.py.bak", "inference.py"}):
                problems.append("--in-place left %s" % _leftovers(
                    src_dir, {"train.py", "train.py.bak", "inference.py"}))
    return code, problems


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def sweep(inputs, in_place_every=10, progress=None, refusals=None):
    """Run ``check_one`` over (label, name, bytes); returns (counts, failures).

    ``refusals``, a list, receives (name, first error line) for each exit 3.
    """
    counts = collections.defaultdict(collections.Counter)
    failures = []
    work = tempfile.mkdtemp(prefix="convert-sweep-")
    try:
        for number, (label, name, data) in enumerate(inputs):
            code, problems = check_one(name, data, work, number % in_place_every == 0,
                                       refusals if not label.startswith("random") else None)
            counts[label]["exit %s" % code] += 1
            if problems:
                counts[label]["failed"] += 1
                failures.append((name, code, problems))
            if progress and number % 200 == 0:
                progress("%d / %d" % (number, len(inputs)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return counts, failures


def collect(sample=None, random_count=300, seed=0):
    inputs = []
    corpus = []
    for label, root in sorted(STDLIBS.items()):
        if not os.path.isdir(root):
            raise SystemExit("%s not found: the sweep needs the pyenv standard libraries" % root)
        files = stdlib_files(root)
        corpus.extend(files)
        if sample is not None:
            files = sorted(random.Random(seed).sample(files, min(sample, len(files))))
        for path in files:
            with open(path, "rb") as handle:
                inputs.append((label, path, handle.read()))
    for name, data in random_inputs(random_count, seed, corpus):
        inputs.append(("random (seed %d)" % seed, name, data))
    return inputs


def main_(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, help="files per standard library (default: all)")
    parser.add_argument("--random", type=int, default=300, help="random inputs (default 300)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--in-place-every", type=int, default=10,
                        help="also run --in-place on one success in N (every failure always)")
    parser.add_argument("--shard", default="0/1", metavar="I/N",
                        help="check only every N-th input, starting at I (to split the sweep)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    index, shards = (int(part) for part in args.shard.split("/"))
    inputs = collect(args.sample, args.random, args.seed)[index::shards]
    refusals = []
    counts, failures = sweep(inputs, args.in_place_every,
                             progress=lambda text: print(text, file=sys.stderr, flush=True),
                             refusals=refusals)
    print("| inputs | files | exit 0 | exit 1 | exit 3 | failed checks |")
    print("|---|---|---|---|---|---|")
    for label, counter in sorted(counts.items()):
        total = sum(v for k, v in counter.items() if k.startswith("exit"))
        print("| %s | %d | %d | %d | %d | %d |" % (
            label, total, counter["exit 0"], counter["exit 1"], counter["exit 3"],
            counter["failed"]))
    print("\n%d inputs in %.0f s" % (len(inputs), time.perf_counter() - start))
    for name, message in refusals:
        print("REFUSED %s: %s" % (name, message.replace(os.path.join(tempfile.gettempdir(), ""),
                                                        "")[:300]))
    for name, code, problems in failures:
        print("FAIL %s (exit %s): %s" % (name, code, "; ".join(problems)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main_())
