"""Data tables only the conversion rules use (plain Python literals: converting never
imports TensorFlow). The tables the TF 1.x view shares live in ``legacy_compat/tables/``.
"""
