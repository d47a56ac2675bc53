"""Running sessions: the controller that owns a session's engine and store, and the headless
simulation that plays a whole scenario with bots. This layer joins ``engine`` and ``store``."""
