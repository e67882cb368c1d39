"""Stores Rasa plugs in from endpoints.yml: the conversation lock store over SQLite."""
