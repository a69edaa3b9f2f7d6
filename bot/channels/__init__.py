"""The channel port: what the core knows of a messenger. Neutral types (bot/channels/types.py) and the
`Channel` protocol (bot/channels/port.py); each messenger is an adapter package beside it (bot/telegram/)."""
