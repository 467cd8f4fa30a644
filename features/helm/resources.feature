@tier:helm @concern:resources
Feature: HELM Deploy — resource requirements
  Seed: "High-end laptop or workstation. Small cloud Kubernetes cluster." We read a small cluster
  as at most 3 nodes; the deployment's requests must fit in it.

  @guarantee:HELM-RES-01 @needs:kubernetes-inventory
  Scenario: Fits a small cloud Kubernetes cluster
    Then the deployment runs on at most 3 nodes
