@tier:iac @concern:security
Feature: Infrastructure as Code — full security
  Seed: "Full security implementation." Read as: TLS everywhere at the edge, mutual TLS for
  participants, signed FSPIOP messages enforced, and no unauthenticated access to admin APIs.
  Each guarantee is shown positively: the probe presents our DFSP's credentials (client
  certificate, token) and leaves out only what the guarantee is about (docs/security.md).

  @guarantee:IAC-SEC-01 @needs:fspiop-api
  Scenario: TLS at the edge: the FSPIOP endpoint is served only over TLS
    Then the hub's FSPIOP endpoint is served over TLS and plaintext is refused or redirected

  @guarantee:IAC-SEC-02 @needs:fspiop-api
  Scenario: Mutual TLS: a participant without a client certificate is refused
    Then a participant without a client certificate is refused, and one with ours is answered

  @guarantee:IAC-SEC-03 @needs:fspiop-api
  Scenario: Signed FSPIOP messages are enforced
    Then a quote request without an FSPIOP-Signature, or signed with a key the hub cannot know, is refused with error 3105

  @guarantee:IAC-SEC-04 @needs:admin-api
  Scenario: Unauthenticated access to admin APIs is denied
    Then an unauthenticated request to the admin API is refused

  @guarantee:IAC-SEC-05 @needs:kubernetes-inventory
  Scenario: Every Mojaloop container runs as a non-root user with a read-only root filesystem
    Then every Mojaloop container runs as a non-root user with a read-only root filesystem

  @guarantee:IAC-SEC-06 @needs:kubernetes-inventory
  Scenario: No Mojaloop container is privileged
    Then no Mojaloop container runs privileged

  @guarantee:IAC-SEC-07 @needs:kubernetes-inventory
  Scenario: Every namespace running Mojaloop has a network policy
    Then every namespace running Mojaloop has a network policy

  @guarantee:IAC-SEC-08 @needs:fspiop-api
  Scenario: The hub's TLS certificate is valid and chains to a trusted root
    Then the hub's TLS certificate is within its validity period and chains to a trusted root

  @guarantee:IAC-SEC-09 @needs:fspiop-api
  Scenario: Deprecated TLS versions (1.0, 1.1) are refused
    Then TLS 1.0 and TLS 1.1 handshakes are refused

  @guarantee:IAC-SEC-10 @needs:fspiop-api
  Scenario: A token with a scope not granted to the participant is refused
    Then a token for a scope not granted to our DFSP is refused

  @guarantee:IAC-SEC-11 @needs:kubernetes-inventory
  Scenario: Operators, databases and brokers run unprivileged, as non-root users
    Then every operator, database and broker container runs unprivileged as a non-root user
