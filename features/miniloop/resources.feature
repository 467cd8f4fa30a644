@tier:miniloop @concern:resources
Feature: Miniloop — resource requirements
  Seed: "Mid-level laptop or desktop workstation." We read that as 16 GiB of memory and 4 CPU
  cores, of which the deployment may use half at rest.

  @guarantee:ML-RES-01 @needs:resource-metrics
  Scenario: Fits a mid-level laptop or desktop workstation
    Then the deployment uses at most 8 GiB of memory and 2 CPU cores at rest
