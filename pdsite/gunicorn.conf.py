"""gunicorn's settings: `gunicorn -c pdsite/gunicorn.conf.py pdsite.wsgi --workers N --bind ...`
(docs/deploy.md, ops/stack.py). Flags on the command line win over these.

Not imported by the application: gunicorn reads it in the arbiter, before the workers exist.
"""

import gc

# Load Django, Wagtail and every app once, in the arbiter, and fork the workers from it. A
# worker that restarts (max_requests, below) is then a fork of a loaded process instead of
# a second or more of imports on a core the other workers are serving from; under load those
# restarts were among the slowest 1% of module pages. Nothing opens a database or cache
# connection while loading (both open on a worker's first request), so no socket is shared.
# A preloaded app is not re-read on SIGHUP: deploy new code with a restart of the service.
preload_app = True

# A worker is replaced after about 5,000 requests: memory that a library keeps growing
# cannot pile up for days. The jitter keeps the workers from restarting at the same moment.
max_requests = 5000
max_requests_jitter = 500

timeout = 30
graceful_timeout = 10


def when_ready(server):
    """The app is loaded and no worker forked yet. What exists now lives as long as the
    process (modules, settings, URL patterns, compiled templates): move it out of the
    garbage collector's generations, so a worker's full collection walks only what its
    requests made (shorter pauses in the slowest requests), and does not write to the pages
    it shares with the arbiter (gc.freeze's documented use before fork)."""
    gc.freeze()
