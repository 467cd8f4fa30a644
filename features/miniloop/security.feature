@tier:miniloop @concern:security
Feature: Miniloop — security posture
  Seed: "Zero security - not intended for production use."

  @guarantee:ML-SEC-01 @needs:fspiop-api
  Scenario: Zero security: the FSPIOP API is reachable without credentials
    When a client without credentials sends an FSPIOP request to the hub
    Then the hub accepts it
