import pytest

from tests.convert.conftest import run_rule


@pytest.mark.parametrize("before, after", [
    pytest.param("import numpy as np\nx = np.int\n", "import numpy as np\nx = int\n", id="np.int"),
    pytest.param("import numpy\nf(numpy.float, numpy.bool)\n", "import numpy\nf(float, bool)\n",
                 id="unaliased numpy"),
    pytest.param("import numpy as np\nx = np.array([1], dtype=np.object)\n",
                 "import numpy as np\nx = np.array([1], dtype=object)\n", id="in keyword"),
])
def test_fix_numpy_aliases(before, after):
    assert run_rule("numpy-aliases", before).output == after


@pytest.mark.parametrize("source", [
    pytest.param("import numpy as np\nx = np.int32\n", id="sized type"),
    pytest.param("np = object()\nx = np.int\n", id="not numpy"),
    pytest.param("import numpy as np\nnp.int = 3\n", id="store context"),
])
def test_noop_numpy_aliases(source):
    assert run_rule("numpy-aliases", source).output == source


@pytest.mark.parametrize("alias, builtin", [
    ("bool", "bool"), ("complex", "complex"), ("float", "float"), ("int", "int"),
    ("long", "int"), ("object", "object"), ("str", "str"), ("unicode", "str"),
])
def test_every_removed_alias_becomes_its_python3_builtin(alias, builtin):
    # Converted scripts run on Python 3: np.long -> int, np.unicode -> str (not long/unicode).
    conversion = run_rule("numpy-aliases", "import numpy as np\nx = np.%s\n" % alias)
    assert conversion.output == "import numpy as np\nx = %s\n" % builtin
    assert [f.severity for f in conversion.findings] == ["INFO"]
