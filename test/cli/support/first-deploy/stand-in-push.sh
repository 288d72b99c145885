#!/usr/bin/env bash
# Stands in for the image push of the first deploy (build, docker login, docker push), which
# the emulator cannot receive: registers REPOSITORY:TAG in ECR through the API a push ends
# with (PutImage with the image's manifest), so DescribeImages finds it like a pushed image.
# STAND_IN_PUSH_FAILS=1 makes it fail like a push that was refused.
set -euo pipefail
[[ "${STAND_IN_PUSH_FAILS:-}" != 1 ]] || { echo "stand-in push: denied: requested access to the resource is denied" >&2; exit 1; }
manifest='{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":2,"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[]}'
aws ecr put-image --repository-name "$1" --image-tag "$2" --image-manifest "$manifest" >/dev/null
echo "stand-in push: $1:$2"
