# Two commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV ?= .venv
JOB ?= legacy-compat-job

$(VENV)/.installed: setup.cfg
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -e ".[tensorflow,test,matrix]"
	touch $@

.PHONY: demo test matrix
demo: $(VENV)/.installed
	rm -rf $(JOB)
	$(VENV)/bin/legacy-compat train examples/abalone/abalone.py \
		--channel examples/abalone/data --job-dir $(JOB) \
		--hyperparameters '{"learning_rate": 0.001, "training_steps": 500, "evaluation_steps": 10}'
	TF_CPP_MIN_LOG_LEVEL=2 $(VENV)/bin/python examples/predict.py $(JOB)

# The default suite on TF 2.15, then the matrix subset CI runs: the real TF 1.4.1 and 1.10.1
# (Python 2.7) and TF 2.21.0 with the revived estimator (Python 3.13).
# The full matrix is `make matrix` (nox -t matrix).
test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest -q -rs tests --ignore=tests/matrix
	$(VENV)/bin/nox -t ci

matrix: $(VENV)/.installed
	$(VENV)/bin/nox -t matrix
	$(VENV)/bin/nox -s compatibility
