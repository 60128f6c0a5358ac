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
