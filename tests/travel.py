"""Run the suite as if today were another day, to find the tests (and the code) that hang on the date they run:

    TRAVEL_TO=2027-03-02T10:00 .venv/bin/python -m pytest -p tests.travel -n 2 --ignore=tests/browser

The test processes' clocks start at TRAVEL_TO (UTC) and tick on (time-machine); the Celery worker, Chromium and
the database server keep the real time, so the browser and worker tests are left out. Not part of `make test`.
"""

import datetime as dt
import os

import time_machine

_travel = time_machine.travel(dt.datetime.fromisoformat(os.environ["TRAVEL_TO"]).replace(tzinfo=dt.UTC), tick=True)
_travel.start()
