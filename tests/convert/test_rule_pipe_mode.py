import pytest

from legacy_compat.convert.rules.pipe_mode import FALLBACK, NOTE
from tests.convert.conftest import run_rule

IMPORT = "from sagemaker_tensorflow import PipeModeDataset\n"


def test_the_import_falls_back_and_the_note_goes_on_top():
    conversion = run_rule("pipe-mode", IMPORT + 'ds = PipeModeDataset("training")\n')
    assert conversion.output == NOTE + FALLBACK + 'ds = PipeModeDataset("training")\n'
    assert [(f.severity, f.line, f.message) for f in conversion.findings] == [
        ("INFO", NOTE.count("\n") + 1, "PipeModeDataset falls back to reading the channel's "
                                       "TFRecord files when sagemaker_tensorflow is not "
                                       "installed")]


def test_the_note_goes_below_a_module_docstring():
    conversion = run_rule("pipe-mode", '"""Doc."""\n' + IMPORT)
    assert conversion.output == '"""Doc."""\n' + NOTE + FALLBACK


def test_the_fallback_comes_from_the_support_module():
    assert FALLBACK == ("try:\n    " + IMPORT + "except ImportError:  # see the note at the "
                        "top of this file\n    from legacy_mode import PipeModeDataset\n")


def test_the_stand_in_is_requested_from_add_helpers():
    from legacy_compat.convert.pipeline import convert_text
    from legacy_compat.convert.registry import get_rule
    conversion = convert_text(IMPORT, "t.py", rules=[get_rule("pipe-mode"),
                                                     get_rule("add-helpers")])
    assert "def PipeModeDataset(" in conversion.extra_files["legacy_mode.py"]


@pytest.mark.parametrize("source", [
    pytest.param("import os\n", id="no pipe mode"),
    pytest.param("from sagemaker_tensorflow import PipeModeDataset as P\n", id="renamed"),
    pytest.param("from sagemaker_tensorflow import PipeModeDataset, other\n", id="two names"),
    pytest.param("import sagemaker_tensorflow\n", id="module import"),
])
def test_noop_pipe_mode(source):
    conversion = run_rule("pipe-mode", source)
    assert conversion.output == source and conversion.findings == []


def test_rerun_is_noop():
    once = run_rule("pipe-mode", IMPORT).output
    assert run_rule("pipe-mode", once).output == once
