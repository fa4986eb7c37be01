"""A fix for Beam 2.77's local runner that long streaming runs need.

The FnApiRunner (behind the DirectRunner) merges each bundle's metrics into the
stage's with a lazy generator wrapped around the previous one. Every bundle adds a
layer that is only consumed when the run ends: memory grows with every poll of a
streaming source (about 7 MB a minute in a soak run), and after a few thousand
bundles reading the metrics fails and the run's counters come back empty. Merging
eagerly keeps one merged list per stage.
"""
from apache_beam.runners.portability.fn_api_runner import fn_runner

_lazy_consolidate = fn_runner.consolidate_monitoring_infos


def _consolidate_eagerly(monitoring_infos):
    return list(_lazy_consolidate(monitoring_infos))


def apply() -> None:
    """Patch the runner in this process (idempotent)."""
    fn_runner.consolidate_monitoring_infos = _consolidate_eagerly
