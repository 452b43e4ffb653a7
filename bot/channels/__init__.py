"""Career Coach's input channels, named in credentials.yml: REST (``rest``), socket.io for the web
widget (``socketio``) and Slack (``slack``), each Rasa's own channel plus the checks every public
channel makes (``limits``). Which of them open is decided by ops/credentials.py.
"""
