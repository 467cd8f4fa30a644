@tier:core-test-harness @concern:documentation
Feature: Core Test Harness — documentation
  Seed: developer-focused documentation, non-technical user documentation for learning
  objectives, and product-level documentation explaining features and appropriate use cases.

  @guarantee:CTH-DOC-01 @needs:human-review
  Scenario: Developer-focused documentation
    Then a reviewer attests that "developer-focused" documentation exists and matches this version

  @guarantee:CTH-DOC-02 @needs:human-review
  Scenario: Non-technical user documentation for learning objectives
    Then a reviewer attests that "non-technical, learning" documentation exists and matches this version

  @guarantee:CTH-DOC-03 @needs:human-review
  Scenario: Product-level documentation of features and appropriate use cases
    Then a reviewer attests that "product-level" documentation exists and matches this version
