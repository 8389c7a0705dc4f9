import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.conf.settings")

from broadsheet.fastpath.app import FastPathApp

application = FastPathApp(get_wsgi_application())
