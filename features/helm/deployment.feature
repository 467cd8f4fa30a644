@tier:helm @concern:deployment
Feature: HELM Deploy — what it deploys
  Seed: "A production-ready deployment solution using HELM charts to deploy Mojaloop services and
  backing services. Requires user to provide and configure their own Kubernetes infrastructure."
  Names are the mojaloop/helm v17 defaults; override them in the tables.

  @guarantee:HELM-DEP-01 @needs:kubernetes-inventory
  Scenario: HELM charts deploy the Mojaloop services
    Then every Mojaloop component is managed by Helm
    And these services are deployed and healthy:
      | service                      |
      | centralledger                |
      | ml-api-adapter               |
      | quoting-service              |
      | account-lookup-service       |
      | centralsettlement            |
      | transaction-requests-service |

  @guarantee:HELM-DEP-02 @needs:kubernetes-inventory
  Scenario: HELM charts deploy the backing services
    Then these services are deployed and healthy:
      | service    |
      | kafka      |
      | mysqldb    |
      | cl-mongodb |
