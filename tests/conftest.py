"""Shared test settings: one hypothesis profile, small enough for two shared cores."""

import os

from hypothesis import HealthCheck, settings

# derandomize: the same examples on every run and machine, so a failure reproduces;
# set HYPOTHESIS_PROFILE=explore to search with fresh random examples instead.
settings.register_profile(
    "book",
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "book"))
