"""Step definitions for the Gherkin features in ``features/``, shared by all test modules."""
