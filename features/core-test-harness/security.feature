@tier:core-test-harness @concern:security
Feature: Core Test Harness — security posture
  Seed: "Zero security - not intended for production use." The run documents what is reachable
  without credentials, so nobody mistakes the harness for a secured deployment.

  @guarantee:CTH-SEC-01 @needs:fspiop-api
  Scenario: Zero security: the FSPIOP API is reachable without credentials
    When a client without credentials sends an FSPIOP request to the hub
    Then the hub accepts it

  @guarantee:CTH-SEC-02 @needs:compose-inventory
  # Documented: declared in the harness's compose files. Reachable: a connection from the host succeeds.
  Scenario: Zero security: the ports published to the host are documented and reachable
    Then every port the deployment publishes to the host is declared in its definition and reachable without credentials
