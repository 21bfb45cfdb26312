"""How ``consult serve`` runs the app: gunicorn's processes, an event loop in front of threads.

``server.py`` starts gunicorn on the app object with consult's options; ``worker.py`` is the
worker, which reads every request whole on tornado's event loop before a thread takes it
(slow and idle clients hold no thread); ``bridge.py`` turns a complete request into a WSGI
call on the thread pool; ``logs.py`` keeps private links' tokens out of the logs.

It may import ``web`` (the path redaction) and nothing else of consult: it runs whatever
WSGI app it is given, and reads only that app's config.
"""

from .server import serve, serve_development

__all__ = ["serve", "serve_development"]
