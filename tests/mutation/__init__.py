"""``make mutation``: mutmut over the TensorFlow-free modules that carry the contract.

``targets.py`` says which modules and which fast tests; ``python -m tests.mutation`` runs
mutmut on a copy of the tree and prints ``mutation score: K killed of N (P%)``.
See docs/testing.md.
"""
