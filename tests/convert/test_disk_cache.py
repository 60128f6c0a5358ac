"""The on-disk caches (compiled fissix fixers, the cut portable package): same output, and
never a reason to fail."""
import os
import pickle
import stat
import subprocess
import sys

import pytest

from legacy_compat.convert import disk_cache, fixer_cache, helpers
from legacy_compat.convert.rules import py2_to_py3
from tests.convert.conftest import SCRIPT_FIXTURES

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Python 2 that exercises many fixers at once, the bottom matcher's and the others'.
PY2 = '''\
import urllib2, cPickle
from itertools import izip
class A:
    __metaclass__ = type
    def next(self):
        return 0777L
def f((a, b)):
    assert_ = a <> b
    print >>sys.stderr, "x", a,
    exec "y = 1"
    for k, v in d.iteritems():
        if d.has_key(k):
            raise ValueError, "bad %s" % `k`
    return map(lambda x: x, filter(None, xrange(3))), unicode(b), long(a), raw_input()
try:
    f((1, 2))
except (IOError, OSError), e:
    print e.message
'''


def _convert(source_path, out_path, cache_dir):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env[disk_cache.ENV_DIR] = cache_dir
    result = subprocess.run([sys.executable, "-m", "legacy_compat.convert", str(source_path),
                             "-o", str(out_path)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    with open(str(out_path), "rb") as handle:
        return handle.read()


def _key_path(cache_dir):
    return os.path.join(str(cache_dir), fixer_cache.key(py2_to_py3.FIXERS, py2_to_py3.OPTIONS))


def _portable_name(cache_dir):
    names = [n for n in os.listdir(str(cache_dir)) if n.startswith("portable-")]
    assert len(names) == 1, names
    return names[0]


@pytest.fixture
def sources(tmp_path):
    py2 = tmp_path / "py2.py"
    py2.write_text(PY2)
    return [py2] + [SCRIPT_FIXTURES[name] for name in sorted(SCRIPT_FIXTURES)]


def test_output_is_the_same_with_a_cold_a_warm_and_no_cache(sources, tmp_path):
    cache = tmp_path / "cache"
    for number, source in enumerate(sources):
        outputs = [_convert(source, tmp_path / ("%d-%s.py" % (number, kind)), directory)
                   for kind, directory in (("off", ""), ("cold", str(cache)),
                                           ("warm", str(cache)))]
        assert outputs[0] == outputs[1] == outputs[2], source
    assert b"print(e.message)" in _convert(sources[0], tmp_path / "again.py", str(cache))
    # one file each, complete, private to the user; no temporary file left behind
    assert sorted(os.listdir(str(cache))) == sorted([os.path.basename(_key_path(cache)),
                                                     _portable_name(cache)])
    for name in os.listdir(str(cache)):
        assert stat.S_IMODE(os.stat(str(cache / name)).st_mode) == 0o600


def test_a_warm_cache_is_read_not_rewritten(sources, tmp_path):
    cache = tmp_path / "cache"
    _convert(sources[0], tmp_path / "cold.py", str(cache))
    os.utime(_key_path(cache), (1000000000, 1000000000))
    _convert(sources[0], tmp_path / "warm.py", str(cache))
    assert os.stat(_key_path(cache)).st_mtime == 1000000000


def test_loaded_fixers_are_the_compiled_ones(tmp_path, monkeypatch):
    monkeypatch.setenv(disk_cache.ENV_DIR, str(tmp_path))
    compiled = py2_to_py3._Tool()      # cold: compiles and stores
    loaded = py2_to_py3._Tool()        # warm: loads
    for order in ("pre_order", "post_order", "bmi_post_order"):
        assert ([type(f).__name__ for f in getattr(compiled, order)]
                == [type(f).__name__ for f in getattr(loaded, order)])
    # the fixers write to the tool's own log list (refactor_text empties it per file)
    assert all(f.log is loaded.fixer_log for f in loaded.pre_order + loaded.post_order)
    assert loaded.fixer_log is not compiled.fixer_log


def test_a_cache_folder_that_cannot_be_written_does_not_fail(sources, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    expected = _convert(sources[0], tmp_path / "off.py", "")
    assert _convert(sources[0], tmp_path / "out.py", str(blocker / "cache")) == expected


def test_a_corrupt_cache_file_is_replaced(sources, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    with open(_key_path(cache), "wb") as handle:
        handle.write(pickle.dumps({"half": "a cache"})[:9])
    os.chmod(_key_path(cache), 0o600)
    expected = _convert(sources[0], tmp_path / "off.py", "")
    assert _convert(sources[0], tmp_path / "out.py", str(cache)) == expected
    with open(_key_path(cache), "rb") as handle:
        assert set(pickle.load(handle)) == set(fixer_cache.STATE)


class _Plant(object):
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_cache_file_others_can_write_is_not_unpickled(sources, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    marker = tmp_path / "unpickled"
    with open(_key_path(cache), "wb") as handle:
        pickle.dump(_Plant(str(marker)), handle)
    os.chmod(_key_path(cache), 0o666)
    _convert(sources[0], tmp_path / "out.py", str(cache))
    assert not marker.exists()
    assert stat.S_IMODE(os.stat(_key_path(cache)).st_mode) == 0o600  # replaced by ours


def test_the_cut_portable_package_comes_from_the_cache_and_changes_with_its_sources(
        tmp_path, monkeypatch):
    monkeypatch.setenv(disk_cache.ENV_DIR, str(tmp_path))
    monkeypatch.setattr(helpers, "_PORTABLE", None)
    cold = helpers.support_module()
    name = helpers._cache_name()
    assert os.path.exists(str(tmp_path / name))
    # a warm process reads the pickle instead of cutting the package again
    monkeypatch.setattr(helpers, "_PORTABLE", None)
    monkeypatch.setattr(helpers.Portable, "__init__", _refuse_to_cut)
    assert helpers.support_module() == cold
    # another portable source is another name: a stale cut is never read
    changed = tmp_path / "changed"
    changed.mkdir()
    for module in helpers.portable.MODULES:
        (changed / (module + ".py")).write_text(open(helpers.module_path(module)).read())
    with open(str(changed / (helpers.portable.MODULES[0] + ".py")), "a") as handle:
        handle.write("\nCHANGED = 1\n")
    monkeypatch.setattr(helpers, "module_path", lambda module: str(changed / (module + ".py")))
    assert helpers._cache_name() != name


def _refuse_to_cut(self):
    raise AssertionError("the portable package was cut although the cache holds it")


def test_a_planted_portable_cache_of_another_kind_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv(disk_cache.ENV_DIR, "")
    monkeypatch.setattr(helpers, "_PORTABLE", None)
    expected = helpers.support_module()
    monkeypatch.setenv(disk_cache.ENV_DIR, str(tmp_path))
    monkeypatch.setattr(helpers, "_PORTABLE", None)
    with open(str(tmp_path / helpers._cache_name()), "wb") as handle:
        pickle.dump({"not": "a package"}, handle)
    os.chmod(str(tmp_path / helpers._cache_name()), 0o600)
    assert helpers.support_module() == expected
