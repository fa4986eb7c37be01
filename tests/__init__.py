"""The test suite, a package so that its shared helpers are imported by one name from
the tests and from benchmarks/: ``tests.devsets`` (the development sets and their
measures), ``tests.webserver`` (a local news server), ``tests.servers`` (nginx and
http.server) and ``tests.helpers`` (the installed command, DuckDB over its tables).

pytest's default import mode puts the folder that holds this package (the repository
root) on ``sys.path``; so does ``python -m benchmarks.NAME`` run from the root.
"""
