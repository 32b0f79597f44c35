"""Shared test fixtures: one seeded random generator for every test."""

import numpy as np
import pytest

SEED = 20261126


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(SEED)
