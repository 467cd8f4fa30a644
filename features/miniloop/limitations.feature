@tier:miniloop @concern:limitations
Feature: Miniloop — limitations
  Seed: "Never to be used in production. Never to be used for processing real money transactions.
  Useful for testing/understanding HELM charts." SLA: "No SLA provided" — so no SLA scenario.

  @guarantee:ML-LIM-01 @needs:fspiop-api
  Scenario: Never to be used in production or for real money
    When a client without credentials sends an FSPIOP request to the hub
    Then the hub accepts it
    And a certificate of this tier vouches for development and testing only
