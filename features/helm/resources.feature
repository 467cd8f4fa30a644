@tier:helm @concern:resources
Feature: HELM Deploy — resource requirements
  Seed: "High-end laptop or workstation. Small cloud Kubernetes cluster." We read a small cluster
  as at most 3 nodes.

  @guarantee:HELM-RES-01 @needs:kubernetes-inventory
  Scenario: Runs on a small cloud Kubernetes cluster of at most 3 nodes
    Then the deployment runs on at most 3 nodes
