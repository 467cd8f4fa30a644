@tier:miniloop @concern:documentation
Feature: Miniloop — documentation
  Seed: developer-focused documentation, semi-technical/BA focused documentation for use-case
  experimentation, and product-level documentation.

  @guarantee:ML-DOC-01 @needs:human-review
  Scenario: Developer-focused documentation
    Then a reviewer attests that "developer-focused" documentation exists and matches this version

  @guarantee:ML-DOC-02 @needs:human-review
  Scenario: Semi-technical/BA documentation for use-case experimentation
    Then a reviewer attests that "semi-technical, use-case" documentation exists and matches this version

  @guarantee:ML-DOC-03 @needs:human-review
  Scenario: Product-level documentation of features and appropriate use cases
    Then a reviewer attests that "product-level" documentation exists and matches this version
