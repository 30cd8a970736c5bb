"""Shared test set-up. The package is imported as installed (`make setup`); the helper
modules next to the tests (helpers.py, inbox_session.py) import by name because pytest's
default import mode puts this folder on the path of the tests it collects."""
