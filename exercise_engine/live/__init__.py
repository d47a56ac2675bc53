"""The live layer: a controller service and seats in separate processes over one SQLite file.

No screen code lives here: the Textual consoles, the JSON-lines seat and scripts are thin
clients of it. ``service`` runs the controller (the one writer) inside any asyncio loop;
``client`` holds the seat and evaluator clients; ``codes`` the join codes; ``presence`` who is
connected; ``jsonl`` the JSON-lines front ends; ``cli`` the ``run``/``join``/``evaluate``/
``codes`` commands. docs/live.md describes the API and the protocol.

A seat process imports little: ``client`` and ``jsonl`` use only the store's light SQL
(``store.live``) and never load the engine or the content models.
"""
