"""Errors raised by the knowledge base."""


class KnowledgeError(Exception):
    """The data in knowledge/data is invalid; the message names file, record and problem."""


class UnknownSubject(LookupError):
    """A query named something the knowledge base does not know."""
