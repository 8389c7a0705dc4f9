import gc
import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.conf.settings")

from broadsheet.fastpath.app import FastPathApp

application = FastPathApp(get_wsgi_application())

# Everything loaded so far lives as long as the process: keep the garbage collector from
# walking it again and again (long pauses show up as slow responses).
gc.collect()
gc.freeze()
# A background render (a refreshed view count) hands the interpreter back to waiting
# requests every millisecond rather than every five.
sys.setswitchinterval(0.001)
