#!/usr/bin/env bash
# Run newsbeam as a streaming Dataflow job (Streaming Engine), update it, or drain it.
# Usage: PROJECT=my-project BUCKET=my-bucket deploy/dataflow/launch-streaming.sh COMMAND [--name=value ...]
#   start    launch the job (refused while a job called $JOB_NAME is running)
#   update   replace the running job in place with the current template and options,
#            keeping its state; set TRANSFORM_NAME_MAPPINGS='Old=New~Old2=New2' when a
#            step was renamed
#   drain    stop polling, write what was read, then stop (gcloud dataflow jobs drain)
#   status   show the running job
# The options come from deploy/options/dataflow-streaming.args, then from the command line.
set -euo pipefail

PROJECT=${PROJECT:-}                  # GCP project id
REGION=${REGION:-europe-west1}        # Dataflow region
BUCKET=${BUCKET:-}                    # bucket name, without gs://
REPO=${REPO:-newsbeam}                # Artifact Registry Docker repository
SERVICE_ACCOUNT=${SERVICE_ACCOUNT:-newsbeam-worker@$PROJECT.iam.gserviceaccount.com}
IMAGE=${IMAGE:-$REGION-docker.pkg.dev/$PROJECT/$REPO/newsbeam:latest}
TEMPLATE=${TEMPLATE:-gs://$BUCKET/templates/newsbeam.json}
JOB_NAME=${JOB_NAME:-newsbeam-streaming}   # fixed: an update names the job it replaces
TRANSFORM_NAME_MAPPINGS=${TRANSFORM_NAME_MAPPINGS:-}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ARGS_FILE=${ARGS_FILE:-$HERE/../options/dataflow-streaming.args}
# shellcheck source-path=SCRIPTDIR source=../lib/args.sh
source "$HERE/../lib/args.sh"
# shellcheck source-path=SCRIPTDIR source=../lib/dataflow.sh
source "$HERE/../lib/dataflow.sh"

COMMAND=${1:-}
if [[ $# -gt 0 ]]; then shift; fi
require PROJECT REGION BUCKET
export PROJECT REGION BUCKET REPO SERVICE_ACCOUNT IMAGE

run_template() {
  read_args "$ARGS_FILE" ARGS
  ARGS+=("$@")
  flex_run_flags ARGS FLAGS
  gcloud dataflow flex-template run "$JOB_NAME" --project="$PROJECT" \
    --template-file-gcs-location="$TEMPLATE" "${FLAGS[@]}" "${EXTRA_FLAGS[@]}"
}

case $COMMAND in
  start)
    JOB_ID=$(active_job_id "$JOB_NAME")
    if [[ -n $JOB_ID ]]; then
      echo "error: $JOB_NAME is already running ($JOB_ID): use update, or drain it first" >&2
      exit 1
    fi
    EXTRA_FLAGS=(--enable-streaming-engine)
    run_template "$@"
    ;;
  update)
    JOB_ID=$(active_job_id "$JOB_NAME")
    if [[ -z $JOB_ID ]]; then
      echo "error: no running job called $JOB_NAME to update" >&2
      exit 1
    fi
    EXTRA_FLAGS=(--enable-streaming-engine --update)
    if [[ -n $TRANSFORM_NAME_MAPPINGS ]]; then
      EXTRA_FLAGS+=("--transform-name-mappings=^~^$TRANSFORM_NAME_MAPPINGS")
    fi
    run_template "$@"
    ;;
  drain)
    JOB_ID=$(active_job_id "$JOB_NAME")
    if [[ -z $JOB_ID ]]; then
      echo "error: no running job called $JOB_NAME" >&2
      exit 1
    fi
    gcloud dataflow jobs drain "$JOB_ID" --project="$PROJECT" --region="$REGION"
    ;;
  status)
    gcloud dataflow jobs list --project="$PROJECT" --region="$REGION" --status=active \
      --filter="name=$JOB_NAME"
    ;;
  *)
    echo "usage: $0 start|update|drain|status [--name=value ...]" >&2
    exit 2
    ;;
esac
