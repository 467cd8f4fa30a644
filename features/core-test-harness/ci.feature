@tier:core-test-harness @concern:functional
Feature: Core Test Harness — used in CI pipelines for integration testing
  Seed: "Used in CI pipelines for integration testing." The harness's own golden-path job
  (Testing Toolkit client, `ttk-tests`) must finish with every assertion passed, non-interactively.

  @guarantee:CTH-CI-01 @needs:compose-inventory
  Scenario: The harness's golden-path test job exits successfully
    Then the test job "ttk-tests" completed successfully
