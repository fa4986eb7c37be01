"""Options and wiring of the newsbeam pipeline, and the ``newsbeam`` command."""
