"""The REST API, the network view and the command line."""
