"""Input channels for visitors: REST, the web widget's socket.io, Matrix and Telegram."""
