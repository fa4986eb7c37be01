#!/usr/bin/env bash
# Create (or replace) a Cloud Scheduler job that launches the newsbeam Flex Template
# through the Dataflow REST API (projects.locations.flexTemplates.launch), every
# $SCHEDULE, with the body in launch-body.json.
# Usage: PROJECT=my-project BUCKET=my-bucket deploy/schedule/cloud-scheduler.sh
#
# The run id. Cloud Scheduler sends the same body every time: it cannot put the date in
# it. So no run_id is set, and each launch gets newsbeam's default (the UTC time and a
# random suffix): every run writes new files and never replaces an earlier run's. That
# is why this job reads feeds (gs://BUCKET/config/feeds.opml), whose entries carry no
# day, rather than a per-day folder: runs are incremental, an article an earlier run
# wrote is counted as seen_before and not written again. Two launches must not overlap
# (the second would not see what the first is writing): the fixed jobName does that,
# as Dataflow refuses a job whose name a running job has, and Scheduler retries a
# failed launch only after its backoff. To rerun a given day and replace its files, use
# the Airflow DAG (newsbeam_daily_dag.py), whose run id is the logical date.
set -euo pipefail

PROJECT=${PROJECT:-}                     # GCP project id
REGION=${REGION:-europe-west1}           # Dataflow and Cloud Scheduler region
BUCKET=${BUCKET:-}                       # bucket name, without gs://
REPO=${REPO:-newsbeam}                   # Artifact Registry Docker repository
SERVICE_ACCOUNT=${SERVICE_ACCOUNT:-newsbeam-worker@$PROJECT.iam.gserviceaccount.com}
IMAGE=${IMAGE:-$REGION-docker.pkg.dev/$PROJECT/$REPO/newsbeam:latest}
# Who Cloud Scheduler is when it calls the Dataflow API: needs roles/dataflow.developer,
# roles/storage.objectViewer and roles/iam.serviceAccountUser on $SERVICE_ACCOUNT
# (deploy/schedule/README.md).
SCHEDULER_ACCOUNT=${SCHEDULER_ACCOUNT:-newsbeam-scheduler@$PROJECT.iam.gserviceaccount.com}
SCHEDULE=${SCHEDULE:-"0 * * * *"}        # cron, in TIME_ZONE: hourly
TIME_ZONE=${TIME_ZONE:-Etc/UTC}
SCHEDULER_JOB=${SCHEDULER_JOB:-newsbeam-hourly}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib/args.sh
source "$HERE/../lib/args.sh"
require PROJECT REGION BUCKET
export PROJECT REGION BUCKET SERVICE_ACCOUNT IMAGE

BODY=$(mktemp)
trap 'rm -f "$BODY"' EXIT
render_file "$HERE/launch-body.json" > "$BODY"

URI="https://dataflow.googleapis.com/v1b3/projects/$PROJECT/locations/$REGION/flexTemplates:launch"
if gcloud scheduler jobs describe "$SCHEDULER_JOB" --project="$PROJECT" \
    --location="$REGION" > /dev/null 2>&1; then
  VERB=update
  HEADERS_FLAG=--update-headers
else
  VERB=create
  HEADERS_FLAG=--headers
fi
gcloud scheduler jobs "$VERB" http "$SCHEDULER_JOB" --project="$PROJECT" \
  --location="$REGION" --schedule="$SCHEDULE" --time-zone="$TIME_ZONE" \
  --uri="$URI" --http-method=POST \
  "$HEADERS_FLAG=Content-Type=application/json" \
  --message-body-from-file="$BODY" \
  --oauth-service-account-email="$SCHEDULER_ACCOUNT" \
  --oauth-token-scope=https://www.googleapis.com/auth/cloud-platform \
  --attempt-deadline=180s --max-retry-attempts=2 --min-backoff=10m

echo "scheduled: $SCHEDULER_JOB ($SCHEDULE $TIME_ZONE); run now: gcloud scheduler jobs run $SCHEDULER_JOB --location=$REGION --project=$PROJECT"
