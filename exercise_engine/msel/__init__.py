"""MSEL spreadsheets in and out: planners' csv/xlsx inject lists become scenarios and back.

One job per module: ``sheet`` reads a csv or xlsx into rows of cells; ``headers`` recognises
what each column holds; ``times`` reads the many ways a sheet writes a time; ``recipients``
maps recipients to roles and delivery methods to channels; ``importer`` turns rows into injects
with warnings that name the row and column; ``scenario`` writes the scenario or library YAML;
``export`` writes a scenario back as a planner's MSEL; ``observations`` records an evaluator's
paper EEG in a session. The command line lives in ``command``.
"""
