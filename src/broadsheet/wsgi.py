"""The WSGI application: Django, behind the fast path for anonymous readers."""

import gc
import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.conf.settings")
django_application = get_wsgi_application()

# These need Django set up.
from broadsheet.content.selectors import newest_post_paths  # noqa: E402
from broadsheet.fastpath.app import FastPathApp  # noqa: E402

application = FastPathApp(django_application)
application.warm_up(["/", "/feed/atom/", *newest_post_paths()])

# Everything loaded so far lives as long as the process: keep the garbage collector from
# walking it again and again (long pauses show up as slow responses).
gc.collect()
gc.freeze()
# A background render (a refreshed view count) hands the interpreter back to waiting
# requests every millisecond rather than every five.
sys.setswitchinterval(0.001)
