"""The pure exercise core: (state, command) -> events, and state = fold(events).

Nothing in this package does I/O, reads the wall clock or draws unseeded random numbers; the
controller process feeds it commands and persists the events it returns.
"""
