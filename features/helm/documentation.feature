@tier:helm @concern:documentation
Feature: HELM Deploy — documentation
  Seed: developer-focused documentation, semi-technical/BA focused documentation for use-case
  experimentation, and product-level documentation.
  Limitations (not guarantees a run can measure): "User/adopter must deploy and configure their own infrastructure."

  @guarantee:HELM-DOC-01 @needs:human-review
  Scenario: Developer-focused documentation
    Then a reviewer attests that "developer-focused" documentation exists and matches this version

  @guarantee:HELM-DOC-02 @needs:human-review
  Scenario: Semi-technical/BA documentation for use-case experimentation
    Then a reviewer attests that "semi-technical, use-case" documentation exists and matches this version

  @guarantee:HELM-DOC-03 @needs:human-review
  Scenario: Product-level documentation of features and appropriate use cases
    Then a reviewer attests that "product-level" documentation exists and matches this version
