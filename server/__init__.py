"""The running assistant's processes: the launcher (serve), the Rasa server with its patches
(rasa_server), the workers' supervisor (supervise), the action server (action_server) and the
web chat page (web). Imports nothing from tools/ or report/ (tests/server/test_imports.py)."""
