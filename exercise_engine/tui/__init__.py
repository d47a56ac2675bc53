"""The Textual consoles: controller, trainee seat, evaluator and hot-seat.

Thin clients: every action a console offers is an engine command sent through the live layer,
every view a read of the event log (or of a value computed from it outside this package). No
rule of the exercise lives here, and this package speaks no SQL. Only the command line imports
it.
"""
