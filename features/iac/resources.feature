@tier:iac @concern:resources
Feature: Infrastructure as Code — resource requirements
  Seed: "High-end cloud or on-premise infrastructure." We read it as at least 3 nodes, so that
  losing one leaves a working hub, offering together at least what HELM Deploy asks.

  @guarantee:IAC-RES-01 @needs:kubernetes-inventory
  Scenario: Runs on high-end infrastructure of at least 3 nodes
    Then the deployment runs on at least 3 nodes
    And the cluster's nodes offer at least 32 GiB of memory and 8 CPU cores together
