"""Helpers for the tests: a private stack and conversations over REST (``stack``), a socket.io
visitor (``socketio_client``), the check that replies state only the KB's figures (``figures``),
and throwaway PostgreSQL and Redis servers (``services``)."""
