"""Step definitions of the BDD features (pytest-bdd), grouped by what the user does."""
