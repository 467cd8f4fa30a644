@tier:core-test-harness @concern:limitations
Feature: Core Test Harness — limitations
  Seed: "Never to be used in production. Never to be used for processing real money transactions."
  SLA: "No SLA provided" — so this tier has no SLA scenario and no throughput or latency is promised.

  @guarantee:CTH-LIM-01 @needs:fspiop-api
  Scenario: Never to be used in production or for real money
    When a client without credentials sends an FSPIOP request to the hub
    Then the hub accepts it
    And a certificate of this tier vouches for development and testing only
