from itertools import groupby

from django.urls import path, re_path

from broadsheet.api import openapi
from broadsheet.api.endpoints import ENDPOINTS, dispatcher
from broadsheet.api.views import unknown_endpoint

app_name = "api"


def _key(endpoint):
    return endpoint.api, endpoint.route


urlpatterns = [
    path("openapi.json", openapi.description, name="openapi"),
    *(
        path(f"{api}/{route}", dispatcher(group))
        for (api, route), group in groupby(sorted(ENDPOINTS, key=_key), key=_key)
    ),
    re_path(r"^", unknown_endpoint),
]
