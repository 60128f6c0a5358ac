"""``python -m tests.mutation [--jobs N] [--only PATH ...] [--report FILE]``: see __init__.py.

mutmut 2 changes files in place, so it runs on copies of the tree (one per job, never on the
checkout), each with a pytest fork server (forkserver.py) as mutmut's runner.
"""

import argparse
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from tests.mutation.targets import GOAL_PERCENT, TARGETS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KILLED = ("ok_killed", "ok_suspicious", "bad_timeout")  # the tests did not pass
RUNNING = set()  # mutmut processes, each in a process group of its own
STOPPING = threading.Event()


def count_mutants(path):
    from mutmut import Context, list_mutations
    return len(list_mutations(Context(filename=os.path.join(ROOT, path))))


def copy_tree(destination):
    """The checkout's files (tracked and untracked, not ignored), without bytecode."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            stdout=subprocess.PIPE, check=True).stdout.decode().split("\0")
    for relative in filter(None, listed):
        source = os.path.join(ROOT, relative)
        if os.path.isfile(source) and "__pycache__" not in relative:
            target = os.path.join(destination, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(source, target)
    # Bytecode for every module now, with the checkout's (older) timestamps: a child process
    # then compiles only the file mutmut changed, whose new time never matches its .pyc.
    # Nothing writes bytecode afterwards (PYTHONDONTWRITEBYTECODE).
    # (Not checked: tests/scripts has Python 2 fixtures that do not compile on Python 3.)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "legacy_compat", "tests"],
                   cwd=destination, stdout=subprocess.DEVNULL)


def split(targets, jobs):
    """Targets into ``jobs`` groups of about equal mutant counts (largest first)."""
    groups = [[0, []] for _ in range(jobs)]
    for path, args, count in sorted(targets, key=lambda t: -t[2]):
        group = min(groups, key=lambda g: g[0])
        group[0] += count
        group[1].append((path, args, count))
    return [g[1] for g in groups if g[1]]


def environment(copy):
    env = dict(os.environ, PYTHONPATH=copy, PYTHONDONTWRITEBYTECODE="1",
               PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", TF_CPP_MIN_LOG_LEVEL="2",
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env.pop("PYTHONSTARTUP", None)
    return env


def run_job(number, group, work, log):
    copy = os.path.join(work, "job%d" % number)
    copy_tree(copy)
    env = environment(copy)
    server_path = os.path.join(work, "job%d.sock" % number)
    server = subprocess.Popen(
        [sys.executable, os.path.join(copy, "tests", "mutation", "forkserver.py"), "serve",
         server_path, copy], cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    client = [sys.executable, "-S", os.path.join(copy, "tests", "mutation", "forkserver.py"),
              server_path]
    mutmut = os.path.join(os.path.dirname(sys.executable), "mutmut")
    try:
        for path, args, count in group:
            if STOPPING.is_set():
                break
            started = time.time()
            run = subprocess.Popen(
                [mutmut, "run", "--paths-to-mutate", path, "--tests-dir", "tests",
                 "--runner", " ".join(shlex.quote(a) for a in client + args),
                 "--no-progress", "--simple-output"],
                cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            RUNNING.add(run)
            run.wait()
            RUNNING.discard(run)
            log.write(("%s: %d mutants in %.0f s\n" % (path, count, time.time() - started))
                      .encode())
            log.flush()
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # the server and a test child it may still have
        server.wait()
    return copy


def statuses(copy):
    """[(file, line number, line, status, index)] from the copy's mutmut cache."""
    db = sqlite3.connect(os.path.join(copy, ".mutmut-cache"))
    rows = db.execute(
        "SELECT SourceFile.filename, Line.line_number, Line.line, Mutant.status, Mutant.\"index\" "
        "FROM Mutant JOIN Line ON Mutant.line = Line.id "
        "JOIN SourceFile ON Line.sourcefile = SourceFile.id").fetchall()
    db.close()
    return rows


def show(filename, line_number, line, index):
    """The mutant's changed lines (what ``mutmut show`` prints), computed here: one mutmut
    process per survivor would take longer than the report is worth."""
    from mutmut import Context, RelativeMutationID, mutate
    with open(os.path.join(ROOT, filename)) as handle:
        source = handle.read()
    context = Context(source=source, filename=filename, mutation_id=RelativeMutationID(
        line=line, index=index, line_number=line_number, filename=filename))
    mutated, _ = mutate(context)
    before, after = source.splitlines(), mutated.splitlines()
    return (["-" + text for text in before if text not in after] +
            ["+" + text for text in after if text not in before])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.mutation")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="parallel mutmut runs, each on its own copy (default: the CPUs)")
    parser.add_argument("--only", nargs="+", metavar="PATH", help="mutate only these modules")
    parser.add_argument("--report", default=os.path.join(ROOT, "mutation-report.txt"),
                        help="where the survivors' diffs go (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the copies (for mutmut show)")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop cleanly, as on Ctrl-C
    targets = [(path, list(tests), count_mutants(path)) for path, tests in TARGETS
               if not args.only or path in args.only]
    total = sum(t[2] for t in targets)
    work = tempfile.mkdtemp(prefix="legacy-compat-mutation-")
    print("mutmut over %d modules, %d mutants, %d jobs (logs in %s)"
          % (len(targets), total, args.jobs, work), flush=True)
    started = time.time()
    cpu_before = os.times()
    copies = []
    threads = []
    for number, group in enumerate(split(targets, args.jobs)):
        log = open(os.path.join(work, "job%d.log" % number), "wb")

        def job(number=number, group=group, log=log):
            copies.append(run_job(number, group, work, log))
            log.close()
        threads.append(threading.Thread(target=job))
        threads[-1].start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(1)
    except KeyboardInterrupt:
        STOPPING.set()
        for run in list(RUNNING):
            os.killpg(run.pid, signal.SIGKILL)  # mutmut and its workers; the copies go too
        shutil.rmtree(work, ignore_errors=True)
        raise
    cpu = os.times()
    cpu_seconds = (cpu.children_user + cpu.children_system -
                   cpu_before.children_user - cpu_before.children_system)
    wall = time.time() - started

    rows = [row for copy in copies for row in statuses(copy)]
    by_module = {}
    for filename, number, line, status, index in rows:
        entry = by_module.setdefault(filename, [0, 0, []])
        entry[1] += 1
        if status in KILLED:
            entry[0] += 1
        else:
            entry[2].append((number, index, line, status))
    with open(args.report, "w") as report:
        for filename in sorted(by_module):
            killed, count, survivors = by_module[filename]
            print("%-50s %4d killed of %4d" % (filename, killed, count))
            for number, index, line, status in sorted(survivors):
                report.write("%s:%d: %s\n" % (filename, number + 1, status))
                for text in show(filename, number, line, index):
                    report.write("    %s\n" % text)
    killed = sum(e[0] for e in by_module.values())
    count = sum(e[1] for e in by_module.values())
    if count != total:
        print("mutmut recorded %d mutants of the %d expected: see the logs in %s"
              % (count, total, work))
        args.keep = True
        count = total  # the missing ones are not killed
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print("survivors: %s; %.0f s wall, %.0f s CPU in the tests (load average now %.1f)"
          % (args.report, wall, cpu_seconds, os.getloadavg()[0]))
    percent = 100.0 * killed / count if count else 0.0
    print("mutation score: %d killed of %d (%.1f%%)" % (killed, count, percent))
    return 0 if count and percent >= GOAL_PERCENT else 1


if __name__ == "__main__":
    sys.exit(main())
