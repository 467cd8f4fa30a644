@tier:miniloop @concern:limitations
Feature: Miniloop — limitations
  Seed: "Never to be used in production. Never to be used for processing real money transactions.
  Useful for testing/understanding HELM charts." SLA: "No SLA provided" — so no SLA scenario.

  @guarantee:ML-LIM-01 @needs:fspiop-api
  Scenario: Never to be used in production or for real money: anyone reaching the API moves money
    # Our payer DFSP presents no client certificate, no Authorization header and no FSPIOP-Signature.
    When the payer DFSP requests a quote to send 1 to the party
    And the payer DFSP prepares the transfer on the agreed terms
    Then the transfer callback reports COMMITTED with a fulfilment that matches the condition
