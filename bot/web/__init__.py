"""The demo web page with the chat widget (served on port 8000 by `make run`)."""
