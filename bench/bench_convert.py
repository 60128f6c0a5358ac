"""Benchmark `legacy-compat convert` against `tf_upgrade_v2` on the fixture corpus.

    .venv/bin/python bench/bench_convert.py [--repeat 3] [--skip-run]

For each tool it measures the wall time to convert every fixture script
(the tool's own command line, in a subprocess, best of --repeat), then runs
each output unmodified as a Script Mode entry point (TF 2.15, SM_* variables,
`--model_dir s3://bucket/prefix`, 20 training steps, no legacy-compat
importable) and counts the outputs that exit 0 and leave a SavedModel under
SM_MODEL_DIR/export/Servo/<digits>.  tf_upgrade_v2 cannot parse Python 2, so
it gets the fixtures as written, like a user would run it.
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.convert.conftest import SCRIPT_FIXTURES, run_script_mode, write_iris_data  # noqa: E402

BIN = pathlib.Path(sys.executable).parent
HYPERPARAMETERS = {"training_steps": 20, "evaluation_steps": 3, "learning_rate": 0.1}


def _sources(work):
    """Copy each fixture's directory so both tools see the same files."""
    sources = {}
    for name, path in sorted(SCRIPT_FIXTURES.items()):
        target = work / "src" / name
        shutil.copytree(os.path.dirname(path), str(target))
        sources[name] = target / "train.py"
    return sources


def _convert_legacy_compat(src, out):
    return [sys.executable, "-m", "legacy_compat.convert", str(src.parent), "-o", str(out.parent)]


def _convert_tf_upgrade_v2(src, out):
    return [str(BIN / "tf_upgrade_v2"), "--intree", str(src.parent), "--outtree", str(out.parent),
            "--copyotherfiles", "True", "--reportfile", str(out.parent) + ".report.txt"]


TOOLS = {"legacy-compat convert": _convert_legacy_compat, "tf_upgrade_v2": _convert_tf_upgrade_v2}


def convert_all(tool, sources, out_root):
    commands = []
    for name, src in sources.items():
        out = out_root / name / "train.py"
        if out_root.joinpath(name).exists():
            shutil.rmtree(str(out_root / name))
        commands.append(TOOLS[tool](src, out))
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, capture_output=True, text=True,
                       env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    return time.perf_counter() - start


def runs_unmodified(script, work):
    if not script.exists() or script.stat().st_size == 0:
        return False
    run_dir = pathlib.Path(tempfile.mkdtemp(dir=str(work)))
    data = write_iris_data(str(run_dir / "data" / "training"))
    result, model_dir, _ = run_script_mode(script, data, run_dir, HYPERPARAMETERS)
    servo = model_dir / "export" / "Servo"
    exported = servo.is_dir() and any(p.name.isdigit() and (p / "saved_model.pb").exists()
                                      for p in servo.iterdir())
    return result.returncode == 0 and exported


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-run", action="store_true", help="only time the conversion")
    args = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="bench-convert-"))
    try:
        sources = _sources(work)
        results = {}
        for tool in TOOLS:
            out_root = work / tool.replace(" ", "_")
            times = [convert_all(tool, sources, out_root) for _ in range(args.repeat)]
            ok = None
            if not args.skip_run:
                ok = sum(runs_unmodified(out_root / name / "train.py", work) for name in sources)
            results[tool] = (min(times), ok)
        n = len(sources)
        ours, theirs = results["legacy-compat convert"][0], results["tf_upgrade_v2"][0]
        print("| tool | convert %d scripts (best of %d) | outputs that run unmodified |"
              % (n, args.repeat))
        print("|---|---|---|")
        for tool, (seconds, ok) in results.items():
            print("| %s | %.2f s | %s |" % (tool, seconds, "-" if ok is None else "%d / %d" % (ok, n)))
        print("\nratio legacy-compat / tf_upgrade_v2 wall time: %.2f" % (ours / theirs))
    finally:
        shutil.rmtree(str(work), ignore_errors=True)


if __name__ == "__main__":
    main()
