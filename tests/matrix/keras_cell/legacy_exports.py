"""Run by noxfile.py before the Keras-only cell, with the Python that runs nox (the default
venv: legacy-compat and TF 2.15): `legacy-compat train` on the original of each case, so the
cell can send the same request to the legacy export and to the Keras one.

    python tests/matrix/keras_cell/legacy_exports.py OUT_DIR   # OUT_DIR/<case>/ = job dir
    python tests/matrix/keras_cell/legacy_exports.py OUT_DIR iris_towers.py ...  # those only
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import CASES, ROOT, STEPS  # noqa: E402


def main(out, names=()):
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2",
               PYTHONPATH=os.pathsep.join([ROOT] + [p for p in [os.environ.get("PYTHONPATH")]
                                                    if p]))
    for name, (script, data, params, _) in sorted(CASES.items()):
        if names and name not in names:
            continue
        job = os.path.join(out, name)
        command = [sys.executable, "-m", "legacy_compat", "train", os.path.join(ROOT, script),
                   "--channel", os.path.join(ROOT, data), "--job-dir", job,
                   "--hyperparameters", json.dumps(dict(params, **STEPS))]
        result = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        if result.returncode != 0:
            sys.stderr.write(result.stdout.decode("utf-8", "replace")[-4000:])
            raise SystemExit("legacy-compat train failed for %s" % script)
        print("legacy export of %s: %s" % (script, job))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
