# Two commands: `make demo` and `make test` (see README.md).
# Python 3.11 (TF 2.15) where there is one; else 3.13 or 3.12, where TF 2.15 has no wheels,
# with TF 2.16+ and the revived estimator (docs/tf-modern.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3.13 || command -v python3.12 || echo python3.11)
VENV ?= .venv
JOB ?= legacy-compat-job
TF_EXTRA = $(shell $(PYTHON) -c 'import sys; print("tensorflow" if sys.version_info < (3, 12) else "tf-modern-cpu")' 2>/dev/null || echo tensorflow)

# tf-modern-cpu leaves out tf-keras (it would pull the full tensorflow wheel): it goes in
# second, without dependencies, at the X.Y of the TensorFlow installed.
$(VENV)/.installed: setup.cfg
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -e ".[$(TF_EXTRA),test,matrix]"
	$(VENV)/bin/python -c 'import legacy_compat.estimator' 2>/dev/null || $(VENV)/bin/pip install -q \
		--no-deps "tf-keras~=$$($(VENV)/bin/python -c 'import tensorflow as tf; print(tf.__version__.rsplit(".", 1)[0])').0"
	touch $@

.PHONY: demo test matrix convert-sweep mutation image
demo: $(VENV)/.installed
	rm -rf $(JOB)
	$(VENV)/bin/legacy-compat train examples/abalone/abalone.py \
		--channel examples/abalone/data --job-dir $(JOB) \
		--hyperparameters '{"learning_rate": 0.001, "training_steps": 500, "evaluation_steps": 10}'
	TF_CPP_MIN_LOG_LEVEL=2 $(VENV)/bin/python examples/predict.py $(JOB)

# The default suite on TF 2.15 (containers included), then the matrix subset CI runs: the real
# TF 1.4.1 and 1.10.1 (Python 2.7), TF 2.21.0 with the revived estimator (Python 3.13) and the
# Keras-only TF 2.21 cell for `convert --target keras` output.
# The full matrix is `make matrix` (nox -t matrix).
test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest -q -rs
	$(VENV)/bin/nox -t ci

# The training image legacy-compat:dev (podman, else docker; the base is made locally when no
# registry answers; reused while its inputs are unchanged). docs/containers.md
image: $(VENV)/.installed
	PYTHON=$(VENV)/bin/python container/build-image

matrix: $(VENV)/.installed
	$(VENV)/bin/nox -t matrix
	$(VENV)/bin/nox -s compatibility

# `legacy-compat convert` over every .py file of the Python 2.7 and 3.11 standard libraries
# and 600 seeded random inputs; counts in docs/convert.md. The default suite runs a sample.
convert-sweep: $(VENV)/.installed
	$(VENV)/bin/python -m tests.convert.sweep --random 600 --in-place-every 20

# mutmut over the TensorFlow-free modules that carry the contract, against their fast tests
# (tests/mutation/targets.py); ends with `mutation score: K killed of N (P%)` and fails below
# the goal. Not part of `make test`. docs/testing.md
mutation: $(VENV)/.installed
	$(VENV)/bin/python -c 'import mutmut' 2>/dev/null || $(VENV)/bin/pip install -q -e ".[mutation]"
	$(VENV)/bin/python -m tests.mutation
