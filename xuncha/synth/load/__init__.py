"""`make loadtest` (issue 17): gunicorn as deployed, Locust with the real roles' workload, and the
same server's ceiling beside it. The Django side (``prepare``, ``plan``, ``server``, ``report``)
runs in ``manage.py loadtest``; the load itself (``drive``, ``locustfile``) runs in a process of
its own, because Locust patches the standard library for gevent when it is imported."""
