"""Models arrive with the evaluation-round issue."""
