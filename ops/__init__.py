"""Operating the production stack on this machine: start it (`make serve-prod`), break it on
purpose (`ops.faults`) and load it (`make loadtest`). Not a Django app: these modules start
processes and talk to Django only through `manage.py` and `ops.scenario`, run in a child."""
