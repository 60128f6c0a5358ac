"""What ``make mutation`` mutates, and the fast tests each module is held to.

One entry per module: its path and the pytest arguments that must fail when the module is
broken. Only TensorFlow-free modules that carry the contract, against tests that need no
TensorFlow, network or training run, so every mutant costs a fraction of a second. When a
module or test file moves, change it here only.
"""

RULE_TESTS = "tests/convert/test_rule_%s.py"

# The contract's facts and the functions converted scripts carry (legacy_compat/portable).
CONTRACT_TESTS = [
    "tests/unit/test_contract.py", "tests/unit/test_hyperparameters.py",
    "tests/unit/test_schedule.py",
    RULE_TESTS % "numpy_aliases", RULE_TESTS % "metric_dtypes", RULE_TESTS % "tf_contrib",
    RULE_TESTS % "add_helpers", RULE_TESTS % "script_mode_entry_point",
    "-k", "not evaluates_every_n_steps"]

TARGETS = (
    ("legacy_compat/contract.py", CONTRACT_TESTS),
    ("legacy_compat/portable/contract.py", CONTRACT_TESTS),
    ("legacy_compat/portable/argspec.py", CONTRACT_TESTS),
    ("legacy_compat/portable/hyperparameters.py", ["tests/unit/test_hyperparameters.py"]),
    ("legacy_compat/hyperparameters.py", [
        "tests/unit/test_hyperparameters.py",
        "tests/unit/test_schedule.py::test_docs_page_is_generated_from_the_table",
        RULE_TESTS % "script_mode_entry_point" +
        "::test_command_line_values_are_decoded_like_sagemaker_hyperparameters"]),
    # test_min_eval_frequency_evaluates_every_n_steps trains a model.
    ("legacy_compat/schedule.py", ["tests/unit/test_schedule.py", "-k", "not evaluates_every_n_steps"]),
    # sources.py's other half (downloading, pip) is covered by tests that run pip and train.
    ("legacy_compat/archives.py", ["tests/e2e/test_sources.py", "-k",
                                   "unsafe or sibling or linked or clean_archive or not_an_archive "
                                   "or refusal or look_dangerous"]),
    ("legacy_compat/outcome.py", ["tests/unit/test_outcome.py"]),
) + tuple(
    ("legacy_compat/convert/rules/%s.py" % rule, [RULE_TESTS % rule])
    for rule in ("add_helpers", "dataset_iterators", "dataset_map_args", "error_markers",
                 "metric_dtypes", "numpy_aliases", "pipe_mode", "py2_to_py3",
                 "script_mode_entry_point", "serving_hooks", "tf_contrib", "tf_imports",
                 "tf_private_names", "tf_renames", "true_division")
) + (
    ("legacy_compat/convert/tables/numpy_aliases.py", [RULE_TESTS % "numpy_aliases"]),
)

# Left out: the name tables in legacy_compat/tables/ (tf_renames.py, 1600 lines generated
# from tf_upgrade_v2; contrib.py; private_imports.py): their oracle is the installed
# TensorFlow (tests/convert/test_tables.py resolves every target name there), which takes
# seconds to import in each test process; and the table generator. Also the portable modules
# that drive TensorFlow (contrib, pipemode, script_mode, cluster): their tests train.
# docs/testing.md

GOAL_PERCENT = 85
