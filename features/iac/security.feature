@tier:iac @concern:security
Feature: Infrastructure as Code — full security
  Seed: "Full security implementation." Read as: TLS everywhere at the edge, mutual TLS for
  participants, signed FSPIOP messages enforced, and no unauthenticated access to admin APIs.

  @guarantee:IAC-SEC-01 @needs:fspiop-api
  Scenario: TLS at the edge: the FSPIOP endpoint is served only over TLS
    Then the hub's FSPIOP endpoint is served over TLS

  @guarantee:IAC-SEC-02 @needs:fspiop-api
  Scenario: Mutual TLS: a participant without a client certificate is refused
    Then a participant without a client certificate is refused at the TLS handshake

  @guarantee:IAC-SEC-03 @needs:fspiop-api
  Scenario: Signed FSPIOP messages are enforced
    When a DFSP sends an FSPIOP request without an FSPIOP-Signature
    Then the hub refuses it

  @guarantee:IAC-SEC-04 @needs:admin-api
  Scenario: Unauthenticated access to admin APIs is denied
    Then an unauthenticated request to the admin API is refused

  @guarantee:IAC-SEC-05 @needs:kubernetes-inventory
  Scenario: Every container runs as a non-root user with a read-only root filesystem
    Then every Mojaloop container runs as a non-root user with a read-only root filesystem

  @guarantee:IAC-SEC-06 @needs:kubernetes-inventory
  Scenario: No container is privileged
    Then no container runs privileged

  @guarantee:IAC-SEC-07 @needs:kubernetes-inventory
  Scenario: Every namespace running Mojaloop has a network policy
    Then every namespace running Mojaloop has a network policy
