#!/usr/bin/env bash
# Stands in for `npx cdk deploy STACK --require-approval never [--context hardened-service:first-deploy=true]`
# in the first-deploy tests: a real CloudFormation deploy (the aws CLI against the emulator,
# through AWS_ENDPOINT_URL) of a small template with what matters to the order: the image-tag
# parameter read as AWS::SSM::Parameter::Value<String> (CloudFormation fails without it), the
# ECR repository, the cluster, the task definition on <repository>:<tag> and the service,
# whose desired count is 0 in the first phase, with the FirstDeployPhase output, as the stack's.
# Names come from STAND_IN_* variables the test sets.
set -euo pipefail
stack="$1"
shift
desired="$STAND_IN_DESIRED"
output=""
while [[ $# -gt 0 ]]; do
  if [[ "$1" == --context && "${2:-}" == hardened-service:first-deploy=true ]]; then
    desired=0
    output=', "Outputs": { "FirstDeployPhase": { "Value": "without-tasks" } }'
  fi
  shift
done
template="$(mktemp)"
trap 'rm -f "$template"' EXIT
cat > "$template" <<JSON
{
  "Parameters": { "ImageTag": { "Type": "AWS::SSM::Parameter::Value<String>", "Default": "$STAND_IN_PARAMETER" } },
  "Resources": {
    "Repository": { "Type": "AWS::ECR::Repository", "Properties": { "RepositoryName": "$STAND_IN_REPOSITORY" } },
    "Cluster": { "Type": "AWS::ECS::Cluster", "Properties": { "ClusterName": "$STAND_IN_CLUSTER" } },
    "TaskDefinition": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {
        "Family": "$STAND_IN_SERVICE",
        "ContainerDefinitions": [{ "Name": "app", "Memory": 512, "Essential": true,
          "Image": { "Fn::Join": ["", ["123456789012.dkr.ecr.us-east-1.amazonaws.com/$STAND_IN_REPOSITORY:", { "Ref": "ImageTag" }]] } }]
      }
    },
    "Service": {
      "Type": "AWS::ECS::Service",
      "Properties": { "ServiceName": "$STAND_IN_SERVICE", "Cluster": { "Ref": "Cluster" }, "TaskDefinition": { "Ref": "TaskDefinition" }, "DesiredCount": $desired }
    }
  }$output
}
JSON
if aws cloudformation describe-stacks --stack-name "$stack" >/dev/null 2>&1; then
  aws cloudformation update-stack --stack-name "$stack" --template-body "file://$template" >/dev/null
else
  aws cloudformation create-stack --stack-name "$stack" --template-body "file://$template" >/dev/null
fi
echo "stand-in cdk: $stack deployed with DesiredCount $desired"
