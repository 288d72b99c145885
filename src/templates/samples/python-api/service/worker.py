"""The gunicorn worker class: uvicorn's, with the settings a service behind a load balancer needs."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    # uvicorn.workers is deprecated in favour of the separate uvicorn-worker package, which
    # is a copy of the same class; switch the import once that package is in your index.
    warnings.simplefilter("ignore", DeprecationWarning)
    from uvicorn.workers import UvicornWorker


class Worker(UvicornWorker):
    CONFIG_KWARGS = {
        "loop": "auto",  # uvloop when installed
        "http": "auto",  # httptools when installed
        "lifespan": "on",  # create the pools in each worker, fail the worker if that fails
        "server_header": False,  # do not advertise the server software
        "access_log": False,  # the request middleware writes one JSON line per request
    }
