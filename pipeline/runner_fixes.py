"""Fixes for Beam 2.77 in the command's process: two for its local runner, and the
shared S3 client (core/storage/s3_clients.py).

Metrics: the FnApiRunner (behind the DirectRunner) merges each bundle's metrics into the
stage's with a lazy generator wrapped around the previous one. Every bundle adds a
layer that is only consumed when the run ends: memory grows with every poll of a
streaming source (about 7 MB a minute in a soak run), and after a few thousand
bundles reading the metrics fails and the run's counters come back empty. Merging
eagerly keeps one merged list per stage.

Ctrl-C: worker processes (``--direct_running_mode=multi_processing``) share the
terminal's process group, so Ctrl-C reaches each of them too and every one prints its
own KeyboardInterrupt traceback. They are started ignoring SIGINT (an ignored signal
stays ignored across exec, and Python then installs no handler for it): the command
alone handles Ctrl-C, and its workers end with the run.
"""
import signal
import subprocess

from apache_beam.runners.portability import local_job_service
from apache_beam.runners.portability.fn_api_runner import fn_runner

from newsbeam.core.storage import s3_clients

_lazy_consolidate = fn_runner.consolidate_monitoring_infos


def _consolidate_eagerly(monitoring_infos):
    return list(_lazy_consolidate(monitoring_infos))


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _WorkerSubprocesses:
    """The subprocess module as the local job service sees it: its workers ignore
    Ctrl-C."""

    def __getattr__(self, name):
        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args, **kwargs):  # noqa: N802 (subprocess's name)
        return subprocess.Popen(*args, preexec_fn=_ignore_interrupts, **kwargs)


def apply() -> None:
    """Patch Beam in this process (idempotent)."""
    fn_runner.consolidate_monitoring_infos = _consolidate_eagerly
    local_job_service.subprocess = _WorkerSubprocesses()
    s3_clients.share()
