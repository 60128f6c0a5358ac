# Two commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV ?= .venv
JOB ?= legacy-compat-job

$(VENV)/.installed: setup.cfg
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -e ".[tensorflow,test]"
	touch $@

.PHONY: demo test matrix
demo: $(VENV)/.installed
	rm -rf $(JOB)
	$(VENV)/bin/legacy-compat train examples/abalone/abalone.py \
		--channel examples/abalone/data --job-dir $(JOB) \
		--hyperparameters '{"learning_rate": 0.001, "training_steps": 500, "evaluation_steps": 10}'
	TF_CPP_MIN_LOG_LEVEL=2 $(VENV)/bin/python examples/predict.py $(JOB)

test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest -q tests --ignore=tests/matrix
