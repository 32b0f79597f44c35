"""Shared test fixtures: one seeded random generator for every test, and a reproducible
hypothesis profile (the same examples on every run, a few seconds in all)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

SEED = 20261126

settings.register_profile(
    "autograd_nb",
    derandomize=True,
    deadline=None,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("autograd_nb")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(SEED)
