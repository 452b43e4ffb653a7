"""Running Career Coach: the processes around the Rasa extensions in bot/.

``launcher`` (``make run`` / ``make shell``) starts them through ``servers``; ``endpoints`` and
``credentials`` complete Rasa's endpoints.yml and credentials.yml from the settings;
``preflight`` checks the stores first; ``rasa_server`` is the Rasa server's entry point (Rasa's own
command line with bot's guards and speed-ups installed); ``web`` serves the demo page; ``replica``
is a container's Rasa server; ``nginx`` runs Debian's nginx on the cluster recipe's
deploy/nginx.conf (tests, bench); ``report`` (``make report``) the curators' knowledge-gap report.
"""
