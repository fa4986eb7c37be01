#!/usr/bin/env bash
# Spark on Kubernetes: create the newsbeam standalone cluster, or submit one run to it.
# Usage: IMAGE=... deploy/spark/submit.sh cluster
#        IMAGE=... OUTPUT=s3://my-bucket/newsbeam-output deploy/spark/submit.sh run [--name=value ...]
# `run` takes its options from deploy/options/spark.args, then from its command line
# (e.g. --feeds=https://example.org/world.rss --run-id=spark-20261127).
set -euo pipefail

IMAGE=${IMAGE:-}          # the newsbeam image (deploy/dataflow/build.sh; EXTRAS=gcp,aws for s3://)
OUTPUT=${OUTPUT:-}        # shared storage for the tables: s3://bucket/path or gs://bucket/path
NAMESPACE=newsbeam        # as in the YAML files
SHARED_STORAGE_CLASS=${SHARED_STORAGE_CLASS:-standard-rwx}  # a ReadWriteMany class (GKE Filestore: standard-rwx)
JOB_NAME=${JOB_NAME:-newsbeam-spark-$(date -u +%Y%m%d-%H%M%S)}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ARGS_FILE=${ARGS_FILE:-$HERE/../options/spark.args}
# shellcheck source-path=SCRIPTDIR source=../lib/args.sh
source "$HERE/../lib/args.sh"

COMMAND=${1:-}
if [[ $# -gt 0 ]]; then shift; fi
require IMAGE
export IMAGE OUTPUT JOB_NAME SHARED_STORAGE_CLASS

case $COMMAND in
  cluster)
    render_file "$HERE/spark-cluster.yaml" | kubectl apply -f -
    kubectl -n "$NAMESPACE" rollout status deployment/newsbeam-spark-master --timeout=10m
    kubectl -n "$NAMESPACE" rollout status deployment/newsbeam-spark-worker --timeout=10m
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
