from tests.rounds.conftest import _media_in_tmp, clock  # noqa: F401  (the round tests' fixtures, shared)
