"""The cramp diary: episodes logged by the user, kept in a private SQLite file.

models.py validates what goes in, store.py is the only module that talks to SQLite,
patterns.py reads the warning-sign thresholds from data/patterns.yml, report.py turns the
stored aggregates into a report, and results.py defines what the commands answer.
"""
