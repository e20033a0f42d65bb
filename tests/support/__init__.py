"""Test support, not part of the product: synthetic scans (:mod:`tests.support.synth`), ruled
tables (:mod:`tests.support.synth_tables`) and synthetic plan records
(:mod:`tests.support.synthetic`), used by the tests, the benches and a few scripts (each puts the
repository root on ``sys.path``). Pages and records are made at run time, so nothing outside the
repository is needed.
"""
