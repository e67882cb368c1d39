"""Custom actions: thin Rasa classes that answer from the knowledge base."""
