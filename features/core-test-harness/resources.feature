@tier:core-test-harness @concern:resources
Feature: Core Test Harness — resource requirements
  Seed: "Mid-level laptop or desktop workstation." We read that as a machine with 16 GiB of memory
  and 4 CPU cores, of which the deployment may use half at rest.

  @guarantee:CTH-RES-01 @needs:resource-metrics
  Scenario: Fits a mid-level laptop or desktop workstation
    Then the deployment uses at most 8 GiB of memory and 2 CPU cores at rest
