@tier:iac @concern:functional
Feature: Infrastructure as Code — P2P transfers over FSPIOP v1.1
  Seed: "Can be used in production. Safe for processing real money transactions."

  @guarantee:IAC-FUN-01 @needs:fspiop-api
  Scenario: P2P golden path: lookup, quote and transfer committed
    When the payer DFSP looks up the party
    Then the lookup callback names the party and the payee DFSP that holds it
    When the payer DFSP requests a quote to send 100 to the party
    Then the quote callback agrees to that amount with an ILP packet and a condition for the party
    When the payer DFSP prepares the transfer on the agreed terms
    Then the transfer callback reports COMMITTED with a fulfilment that matches the condition
    And the hub reports the transfer as COMMITTED

  @guarantee:IAC-FUN-02 @needs:fspiop-api
  Scenario: Looking up a party no DFSP holds ends in error 3204 "Party not found"
    Given a party no DFSP holds
    When the payer DFSP looks up the party
    Then the lookup ends with error callback 3204

  @guarantee:IAC-FUN-03 @needs:fspiop-api @needs:controlled-payee
  Scenario: Safe for real money: a wrong fulfilment never commits a transfer
    Given a payee party whose DFSP answers transfers with a wrong fulfilment
    When the payer DFSP requests a quote to send 5 to the party
    And the payer DFSP prepares the transfer on the agreed terms
    Then the transfer ends with error callback 3100
    And the hub reports the transfer as ABORTED
