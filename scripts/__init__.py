"""Developer scripts: find a Python for Rasa, serve the assistant."""
