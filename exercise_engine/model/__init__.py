"""The content formats: pydantic models of the YAML files, the loader with file:line errors,
expressions, doctrine tags. Imports neither the engine nor any I/O layer."""
