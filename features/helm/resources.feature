@tier:helm @concern:resources
Feature: HELM Deploy — resource requirements
  Seed: "High-end laptop or workstation. Small cloud Kubernetes cluster." A resource requirement
  is what the infrastructure must offer at least — a bigger cluster meets it too. We read a
  high-end workstation as 32 GiB of memory and 8 CPU cores, which the cluster's nodes must offer
  together.

  @guarantee:HELM-RES-01 @needs:kubernetes-inventory
  Scenario: Runs on at least a high-end workstation or a small cloud cluster
    Then the cluster's nodes offer at least 32 GiB of memory and 8 CPU cores together
