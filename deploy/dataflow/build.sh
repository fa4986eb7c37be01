#!/usr/bin/env bash
# Build the newsbeam image (Dataflow worker and Flex Template launcher), push it to
# Artifact Registry, and write the Flex Template spec to $TEMPLATE.
# Usage: PROJECT=my-project BUCKET=my-bucket deploy/dataflow/build.sh
set -euo pipefail

PROJECT=${PROJECT:-}                  # GCP project id
REGION=${REGION:-europe-west1}        # Artifact Registry and Dataflow region
BUCKET=${BUCKET:-}                    # bucket name, without gs://
REPO=${REPO:-newsbeam}                # Artifact Registry Docker repository
BUILDER=${BUILDER:-cloudbuild}        # cloudbuild (no local Docker needed) or docker
EXTRAS=${EXTRAS:-gcp}                 # newsbeam extras in the image: gcp, or gcp,aws
LAUNCHER_BASE=${LAUNCHER_BASE:-gcr.io/dataflow-templates-base/python311-template-launcher-base:latest}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib/args.sh
source "$HERE/../lib/args.sh"
require PROJECT REGION BUCKET REPO

VERSION=$(sed -n 's/^ *version="\([^"]*\)".*/\1/p' "$ROOT/setup.py")
TAG=${TAG:-$VERSION-$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || date -u +%Y%m%d%H%M%S)}
IMAGE_REPO=$REGION-docker.pkg.dev/$PROJECT/$REPO/newsbeam
IMAGE=$IMAGE_REPO:$TAG
TEMPLATE=${TEMPLATE:-gs://$BUCKET/templates/newsbeam.json}

# The launcher binary comes from Google's image: pin the digest :latest has today.
if [[ $LAUNCHER_BASE != *@sha256:* ]]; then
  LAUNCHER_BASE=$(gcloud container images describe "$LAUNCHER_BASE" \
    --format='value(image_summary.fully_qualified_digest)')
fi
echo "launcher: $LAUNCHER_BASE"
echo "image:    $IMAGE"

case $BUILDER in
  cloudbuild)
    gcloud builds submit "$ROOT" --project="$PROJECT" --region="$REGION" \
      --config="$HERE/cloudbuild.yaml" \
      --substitutions="^~^_IMAGE=$IMAGE~_LAUNCHER_IMAGE=$LAUNCHER_BASE~_EXTRAS=$EXTRAS"
    ;;
  docker)
    gcloud auth configure-docker "$REGION-docker.pkg.dev" --quiet
    docker build "$ROOT" -f "$HERE/Dockerfile" --build-arg "IMAGE=$IMAGE" \
      --build-arg "LAUNCHER_IMAGE=$LAUNCHER_BASE" --build-arg "EXTRAS=$EXTRAS" -t "$IMAGE"
    docker push "$IMAGE"
    ;;
  *)
    echo "error: BUILDER is cloudbuild or docker, not $BUILDER" >&2
    exit 2
    ;;
esac

# :latest follows the last build (the launch scripts' default image).
gcloud artifacts docker tags add "$IMAGE" "$IMAGE_REPO:latest" --quiet

gcloud dataflow flex-template build "$TEMPLATE" --project="$PROJECT" \
  --image="$IMAGE" --sdk-language=PYTHON --metadata-file="$HERE/metadata.json"

echo "template: $TEMPLATE (image $IMAGE)"
