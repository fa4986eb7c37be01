"""newsbeam once a day on Dataflow, from Airflow (Cloud Composer, or any Airflow 2.9+ or 3.x
with apache-airflow-providers-google and apache-airflow-providers-apache-beam installed).

The run for day D reads ``gs://$NEWSBEAM_BUCKET/incoming/D/`` (every supported file below
it) and writes to ``gs://$NEWSBEAM_BUCKET/newsbeam-output`` with ``--run_id daily-YYYYMMDD``.
The run id is the day, not the time of the attempt: a retry, a "Clear" in the UI or a
backfill of day D replaces day D's files instead of adding a second copy of them.

Configuration comes from the environment of the Airflow workers and scheduler (on Cloud
Composer: ``gcloud composer environments update ENV --update-env-variables=...``), read
when the file is parsed; a missing variable is an import error shown in the Airflow UI:

    NEWSBEAM_PROJECT          project that runs the Dataflow jobs
    NEWSBEAM_REGION           Dataflow region, e.g. europe-west1
    NEWSBEAM_BUCKET           bucket holding incoming/, newsbeam-output/, tmp/, templates/
    NEWSBEAM_IMAGE            the image deploy/dataflow/build.sh pushed (worker and launcher)
    NEWSBEAM_SERVICE_ACCOUNT  the Dataflow worker service account (deploy/README.md)
    NEWSBEAM_CONTACT          optional: URL or email sent in the User-Agent
"""
from __future__ import annotations

import datetime as dt
import os

from airflow.providers.google.cloud.operators.dataflow import (
    DataflowStartFlexTemplateOperator,
)
from airflow.timetables.interval import CronDataIntervalTimetable

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG

PROJECT = os.environ["NEWSBEAM_PROJECT"]
REGION = os.environ["NEWSBEAM_REGION"]
BUCKET = os.environ["NEWSBEAM_BUCKET"]
IMAGE = os.environ["NEWSBEAM_IMAGE"]
SERVICE_ACCOUNT = os.environ["NEWSBEAM_SERVICE_ACCOUNT"]
CONTACT = os.environ.get("NEWSBEAM_CONTACT", "")

TEMPLATE = f"gs://{BUCKET}/templates/newsbeam.json"

# The day a run processes is its logical date. With a data-interval timetable, the run
# for day D covers [D 03:00, D+1 03:00) UTC, starts at D+1 03:00 (three hours after the
# day ended, for late files) and its logical date, {{ ds }}, is D.
SCHEDULE = CronDataIntervalTimetable("0 3 * * *", timezone="UTC")
RUN_ID = "daily-{{ ds_nodash }}"

parameters = {
    "input": f"gs://{BUCKET}/incoming/{{{{ ds }}}}/",
    "output": f"gs://{BUCKET}/newsbeam-output",
    "run_id": RUN_ID,
}
if CONTACT:
    parameters["contact"] = CONTACT

with DAG(
    dag_id="newsbeam_daily",
    description="newsbeam batch on Dataflow, one run per day of incoming files",
    schedule=SCHEDULE,
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),  # noqa: UP017 (Python 3.10)
    # No surprise backfill when the DAG is first deployed; backfill days on purpose
    # (Airflow 3: `airflow backfill create --dag-id newsbeam_daily --from-date ...
    # --to-date ...`; Airflow 2: `airflow dags backfill -s ... -e ... newsbeam_daily`).
    catchup=False,
    # One day at a time: a run reads what earlier runs wrote to the output (incremental
    # deduplication), so days run in order and never two against the same output.
    max_active_runs=1,
    dagrun_timeout=dt.timedelta(hours=6),
    default_args={
        # A retry relaunches the job with the same run id: it replaces the files of the
        # failed attempt.
        "retries": 2,
        "retry_delay": dt.timedelta(minutes=10),
        "retry_exponential_backoff": True,
    },
    tags=["newsbeam", "dataflow"],
) as dag:
    DataflowStartFlexTemplateOperator(
        task_id="newsbeam_run",
        project_id=PROJECT,
        location=REGION,
        body={
            "launchParameter": {
                # The operator appends a unique suffix (append_job_name=True).
                "jobName": "newsbeam-daily-{{ ds_nodash }}",
                "containerSpecGcsPath": TEMPLATE,
                "parameters": parameters,
                "environment": {
                    "serviceAccountEmail": SERVICE_ACCOUNT,
                    "tempLocation": f"gs://{BUCKET}/tmp",
                    "stagingLocation": f"gs://{BUCKET}/staging",
                    "sdkContainerImage": IMAGE,
                    "maxWorkers": 10,
                    "machineType": "n2-standard-2",
                },
            }
        },
        wait_until_finished=True,
        execution_timeout=dt.timedelta(hours=5),
    )
