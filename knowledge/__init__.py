"""The knowledge base: built from the city document, read by the actions."""
