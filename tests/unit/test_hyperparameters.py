import logging

import pytest

from legacy_compat import contract
from legacy_compat import hyperparameters as hp


def test_decode_json_encoded_values():
    decoded = hp.decode({"lr": "0.1", "layers": "[1, 2]", "name": '"adam"', "off": "null"})
    assert decoded == {"lr": 0.1, "layers": [1, 2], "name": "adam", "off": None}


def test_non_json_value_stays_a_string_with_a_warning_naming_the_key(caplog):
    with caplog.at_level(logging.WARNING, logger="legacy_compat"):
        assert hp.decode({"optimizer": "adam"}) == {"optimizer": "adam"}
    assert "'optimizer'" in caplog.text and "not JSON" in caplog.text


def test_tuning_objective_metric_is_not_json_decoded():
    assert hp.decode({"_tuning_objective_metric": '"validation:loss"'}) == {
        "_tuning_objective_metric": "validation:loss"}


def test_defaults_are_injected_and_visible():
    assert contract.with_defaults({}) == {"training_steps": 1000, "evaluation_steps": 100,
                                    "save_checkpoints_secs": 300}


def test_no_seconds_default_when_steps_are_set():
    params = contract.with_defaults({"save_checkpoints_steps": 50})
    assert "save_checkpoints_secs" not in params
    assert params["save_checkpoints_steps"] == 50


def test_explicit_null_is_kept():
    assert contract.with_defaults({"save_checkpoints_secs": None})["save_checkpoints_secs"] is None
    assert contract.with_defaults({"training_steps": None})["training_steps"] is None


def test_unknown_keys_pass_through_untouched():
    assert contract.with_defaults({"my_key": {"a": 1}})["my_key"] == {"a": 1}


def test_pick():
    params = {"throttle_secs": 5, "save_summary_steps": 10, "other": 1}
    assert hp.pick(params, contract.EVAL_SPEC_KEYS) == {"throttle_secs": 5}
    assert hp.pick(params, contract.RUN_CONFIG_KEYS) == {"save_summary_steps": 10}


# The mixed case of issue 8: "123" must not change type because of its neighbours.
AS_WRITTEN = [{"run_name": "123", "opt": "adam"},
              {"run_name": "123", "opt": "adam", "learning_rate": 0.1}]


@pytest.mark.parametrize("given", AS_WRITTEN, ids=["all strings", "one number"])
def test_json_hyperparameters_are_taken_as_written(given):
    assert hp.as_given(given) == given


@pytest.mark.parametrize("key", hp.SAGEMAKER_KEYS + ("sagemaker_s3_uri_training",))
def test_a_sagemaker_key_makes_it_a_sagemaker_hyperparameters_json(key):
    decoded = hp.as_given({key: '"value"', "run_name": "123", "opt": '"adam"'})
    assert decoded == {key: "value", "run_name": 123, "opt": "adam"}


def test_a_file_marked_as_sagemaker_is_decoded_without_a_sagemaker_key():
    marked = hp.SageMakerFile({"run_name": "123", "opt": '"adam"', "layers": "[1, 2]"})
    assert hp.as_given(marked) == {"run_name": 123, "opt": "adam", "layers": [1, 2]}


def test_strings_that_look_json_encoded_get_a_hint_but_stay_strings(caplog):
    with caplog.at_level(logging.WARNING, logger="legacy_compat"):
        assert hp.as_given(AS_WRITTEN[0]) == AS_WRITTEN[0]
    assert "'run_name' is the string '123'" in caplog.text
    assert "--hyperparameters sagemaker:FILE" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="legacy_compat"):
        hp.as_given(AS_WRITTEN[1])
        hp.as_given({"opt": "adam", "name": '"quoted"'})
    assert caplog.text == ""


def test_handing_on_keeps_a_sagemaker_files_meaning():
    """What `--hosts N` passes to each host: read back there, the values are the same."""
    import json
    from legacy_compat.cli import _decode_hyperparameters
    raw = {"run_name": "123", "opt": '"adam"'}
    assert hp.to_argument(hp.SageMakerFile(raw, "/jobs/hp.json")) == "sagemaker:/jobs/hp.json"
    for values in (hp.SageMakerFile(raw), {"run_name": "123"}):
        text = hp.to_argument(values)
        assert hp.as_given(_decode_hyperparameters(text)) == hp.as_given(values), text
    assert json.loads(hp.to_argument(hp.SageMakerFile(raw))) == {"run_name": 123, "opt": "adam"}
