"""The course designer's workbench: starters, preview and print-outs of a scenario.

Everything here reads content through the model (and, for a preview's timeline, plays it with
the engine and bots, as ``simulate`` does); nothing here decides how an exercise plays.
"""
