@tier:iac @concern:documentation
Feature: Infrastructure as Code — documentation
  Seed: multiple levels targeting all user types; developer documentation for maintenance and
  enhancement; technical operations documentation for infrastructure engineers; product-level
  documentation explaining features and use cases.

  @guarantee:IAC-DOC-01 @needs:human-review
  Scenario: Developer documentation for maintenance and enhancement
    Then a reviewer attests that "developer, maintenance" documentation exists and matches this version

  @guarantee:IAC-DOC-02 @needs:human-review
  Scenario: Technical operations documentation for infrastructure engineers
    Then a reviewer attests that "technical operations" documentation exists and matches this version

  @guarantee:IAC-DOC-03 @needs:human-review
  Scenario: Product-level documentation explaining features and use cases
    Then a reviewer attests that "product-level" documentation exists and matches this version

  @guarantee:IAC-DOC-04 @needs:human-review
  Scenario: Documentation at multiple levels for all user types
    Then a reviewer attests that "multi-level, all user types" documentation exists and matches this version
