#!/usr/bin/env bash
# Flink on Kubernetes: create the newsbeam session cluster, or submit one run to it.
# Usage: IMAGE=... deploy/flink/submit.sh cluster
#        IMAGE=... OUTPUT=s3://my-bucket/newsbeam-output deploy/flink/submit.sh run [--name=value ...]
# `run` takes its options from deploy/options/flink.args, then from its command line
# (e.g. --feeds=https://example.org/world.rss --run-id=flink-20261127).
set -euo pipefail

IMAGE=${IMAGE:-}          # the newsbeam image (deploy/dataflow/build.sh; EXTRAS=gcp,aws for s3://)
OUTPUT=${OUTPUT:-}        # shared storage for the tables: s3://bucket/path or gs://bucket/path
NAMESPACE=newsbeam        # as in the YAML files
JOB_NAME=${JOB_NAME:-newsbeam-flink-$(date -u +%Y%m%d-%H%M%S)}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ARGS_FILE=${ARGS_FILE:-$HERE/../options/flink.args}
# shellcheck source-path=SCRIPTDIR source=../lib/args.sh
source "$HERE/../lib/args.sh"

COMMAND=${1:-}
if [[ $# -gt 0 ]]; then shift; fi
require IMAGE
export IMAGE OUTPUT JOB_NAME

case $COMMAND in
  cluster)
    render_file "$HERE/flink-deployment.yaml" | kubectl apply -f -
    kubectl -n "$NAMESPACE" wait flinkdeployment/newsbeam-flink \
      --for=jsonpath='{.status.jobManagerDeploymentStatus}'=READY --timeout=10m
    ;;
  run)
    require OUTPUT
    submit_run "$HERE" "$NAMESPACE" "$JOB_NAME" "$ARGS_FILE" "$@"
    ;;
  *)
    echo "usage: $0 cluster|run [--name=value ...]" >&2
    exit 2
    ;;
esac
