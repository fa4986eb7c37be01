"""One boto3 client per process for Beam's S3 filesystem.

Beam 2.77's S3 filesystem builds a new boto3 session and client for every operation (a
listing, an open, a delete): about 0.14 s of CPU each, most of a run's or a
compaction's time on s3://, and 50-60 vCPU-hours a day at a million articles. Here the
boto3 client, which is thread-safe, is made once per set of settings and shared; Beam's
wrapper around it, which keeps per-download state, is still made per operation. Called
by the command and by the DoFns that touch the output, in each worker process.
"""
import functools
import types


@functools.lru_cache(maxsize=None)
def _client(**settings):
    import boto3
    return boto3.session.Session().client(**settings)


class _SharedClientSession:
    """A boto3 session as Beam's S3 wrapper uses it: ``client`` gives the shared one."""

    @staticmethod
    def client(**settings):
        return _client(**settings)


def share() -> None:
    """Patch Beam's S3 client wrapper in this process (idempotent)."""
    try:
        from apache_beam.io.aws.clients.s3 import boto3_client
    except ImportError:  # Beam without its aws extra: no S3 filesystem
        return
    if boto3_client.boto3 is not None:
        boto3_client.boto3 = types.SimpleNamespace(
            session=types.SimpleNamespace(Session=_SharedClientSession))
