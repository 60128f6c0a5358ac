# setuptools on Python 2.7 and 3.6 needs a setup.py; the metadata lives in setup.cfg.
from setuptools import setup

setup()
