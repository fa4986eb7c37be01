"""The same articles from the in-process DirectRunner, real worker processes, and the
portable job service (the path Dataflow Runner v2, Flink and Spark take)."""
import os
import socket
import subprocess
import sys
import time

import pytest

from tests.helpers import newsbeam, rows, scalar, table

pytestmark = pytest.mark.xdist_group("timed")  # see pytest.ini


def article_ids(output):
    return sorted(r["article_id"] for r in rows(output, "articles"))


def event_count(output):
    return scalar(f"SELECT count(*) FROM {table(output, 'events')}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def balance(stdout):
    """The summary's "articles + duplicates + rejects = items read" line."""
    (line,) = [line for line in stdout.splitlines() if "= items read" in line]
    return line.strip()


@pytest.fixture(scope="module")
def direct(samples_run):
    """The samples' run on the default runner, the in-process DirectRunner."""
    return samples_run.output, balance(samples_run.stdout)


def serve(module, port_flag):
    """Start a Beam service module on a free port; yield its address."""
    port = free_port()
    # The worker pool starts SDK workers as `python` from PATH, as in the SDK container.
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    service = subprocess.Popen([sys.executable, "-m", module, port_flag, str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PATH": path})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        service.kill()
        pytest.fail(f"{module} did not start")
    yield f"localhost:{port}"
    service.terminate()
    service.wait(timeout=30)


@pytest.fixture
def job_service():
    yield from serve("apache_beam.runners.portability.local_job_service_main", "--port")


@pytest.fixture
def worker_pool():
    """The Python SDK worker pool, as the Flink and Spark task managers' sidecar runs it."""
    yield from serve("apache_beam.runners.worker.worker_pool_main", "--service_port")


def test_multi_processing_workers_give_the_same_articles(direct, tmp_path):
    done = newsbeam("run", "--output", str(tmp_path), "--run-id", "multi",
                    "--direct_running_mode=multi_processing", "--direct_num_workers=2")
    assert article_ids(tmp_path) == article_ids(direct[0])
    assert event_count(tmp_path) == event_count(direct[0])
    assert balance(done.stdout) == direct[1]  # metrics come back from the worker processes


def test_portable_runner_on_the_job_service_gives_the_same_articles(direct, tmp_path,
                                                                     job_service):
    done = newsbeam("run", "--output", str(tmp_path), "--run-id", "portable",
                    "--runner=PortableRunner", f"--job_endpoint={job_service}",
                    "--environment_type=LOOPBACK")
    assert article_ids(tmp_path) == article_ids(direct[0])
    assert event_count(tmp_path) == event_count(direct[0])
    assert balance(done.stdout) == direct[1]


def test_portable_runner_with_an_external_worker_pool_gives_the_same_articles(
        direct, tmp_path, job_service, worker_pool):
    done = newsbeam("run", "--output", str(tmp_path), "--run-id", "external",
                    "--runner=PortableRunner", f"--job_endpoint={job_service}",
                    "--environment_type=EXTERNAL", f"--environment_config={worker_pool}")
    assert article_ids(tmp_path) == article_ids(direct[0])
    assert event_count(tmp_path) == event_count(direct[0])
    assert balance(done.stdout) == direct[1]
