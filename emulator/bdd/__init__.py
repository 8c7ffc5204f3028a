"""QA tools around the Gherkin features: the traceability gate and the BDD reports.

``traceability`` checks that every step ID of docs/flows.md tags a scenario (``szca-trace``);
``report`` turns pytest-bdd's cucumber JSON into a Markdown summary by step ID.
"""
