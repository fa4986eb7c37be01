#!/usr/bin/env bash
# Launch one batch run of the newsbeam Flex Template.
# Usage: PROJECT=my-project BUCKET=my-bucket deploy/dataflow/launch-batch.sh [--name=value ...]
# The options come from deploy/options/dataflow-batch.args, then from the command line
# (a later option wins): e.g. --input=gs://my-bucket/incoming/2026-11-27/ --run-id=daily-20261127
set -euo pipefail

PROJECT=${PROJECT:-}                  # GCP project id
REGION=${REGION:-europe-west1}        # Dataflow region
BUCKET=${BUCKET:-}                    # bucket name, without gs://
REPO=${REPO:-newsbeam}                # Artifact Registry Docker repository
SERVICE_ACCOUNT=${SERVICE_ACCOUNT:-newsbeam-worker@$PROJECT.iam.gserviceaccount.com}
IMAGE=${IMAGE:-$REGION-docker.pkg.dev/$PROJECT/$REPO/newsbeam:latest}
TEMPLATE=${TEMPLATE:-gs://$BUCKET/templates/newsbeam.json}
JOB_NAME=${JOB_NAME:-newsbeam-batch-$(date -u +%Y%m%d-%H%M%S)}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ARGS_FILE=${ARGS_FILE:-$HERE/../options/dataflow-batch.args}
# shellcheck source-path=SCRIPTDIR source=../lib/args.sh
source "$HERE/../lib/args.sh"
# shellcheck source-path=SCRIPTDIR source=../lib/dataflow.sh
source "$HERE/../lib/dataflow.sh"
require PROJECT REGION BUCKET
export PROJECT REGION BUCKET REPO SERVICE_ACCOUNT IMAGE

read_args "$ARGS_FILE" ARGS
ARGS+=("$@")
flex_run_flags ARGS FLAGS

gcloud dataflow flex-template run "$JOB_NAME" --project="$PROJECT" \
  --template-file-gcs-location="$TEMPLATE" "${FLAGS[@]}"

echo "monitor: https://console.cloud.google.com/dataflow/jobs?project=$PROJECT"
