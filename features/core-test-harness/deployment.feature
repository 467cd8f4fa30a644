@tier:core-test-harness @concern:deployment
Feature: Core Test Harness — what it deploys
  Seed: "A lightweight, single-node deployment tool designed for learning, development, and
  testing purposes. It uses docker-compose for orchestration and provides a simplified Mojaloop
  environment without production-grade components."
  Service names are the ml-core-test-harness defaults (v2.15); override them in the tables.

  @guarantee:CTH-DEP-01 @needs:compose-inventory
  Scenario: Single node deployment
    Then the deployment runs on a single node

  @guarantee:CTH-DEP-02 @needs:compose-inventory
  Scenario: Docker-compose based orchestration
    Then every component is orchestrated by docker compose

  # "Configurable profiles" is a feature of the definition: a harness started with none of its
  # profiles is still configurable, so the profiles in use are shown, not required.
  @guarantee:CTH-DEP-03 @needs:compose-inventory
  Scenario: Configurable profiles
    Then the compose definition offers named profiles to choose from

  @guarantee:CTH-DEP-04 @needs:compose-inventory
  Scenario: No HELM integration
    Then no component is managed by Helm

  @guarantee:CTH-DEP-05 @needs:compose-inventory
  Scenario: No gateway components
    Then no gateway component is deployed

  @guarantee:CTH-DEP-06 @needs:compose-inventory
  Scenario: No ingress/egress components
    Then no ingress component is deployed
    And no egress component is deployed

  @guarantee:CTH-DEP-07 @needs:compose-inventory
  Scenario: No IAM stack
    Then no IAM component is deployed

  @guarantee:CTH-DEP-08 @needs:compose-inventory
  Scenario: Core services are deployed and healthy
    Then these services are deployed and healthy:
      | service                        |
      | central-ledger                 |
      | central-handler-position-batch |
      | ml-api-adapter                 |
      | quoting-service                |
      | quoting-service-handler        |
      | account-lookup-service         |
      | als-msisdn-oracle-svc          |
      | central-settlement             |

  @guarantee:CTH-DEP-09 @needs:compose-inventory
  Scenario: Backing services are deployed and healthy
    Then these services are deployed and healthy:
      | service   |
      | mysql     |
      | mysql-als |
      | kafka     |
      | objstore  |
      | redis     |

  @guarantee:CTH-DEP-10 @needs:compose-inventory
  Scenario: Optional portals: absent is fine, present must be healthy
    Then these optional services, where deployed, are healthy:
      | service                   |
      | reporting-hub-bop-api-svc |
      | fp-proxy                  |

  @guarantee:CTH-DEP-11 @needs:compose-inventory
  Scenario: Optional monitoring stack: absent is fine, present must be healthy
    Then these optional services, where deployed, are healthy:
      | service        |
      | prometheus     |
      | grafana        |
      | node-exporter  |
      | cadvisor       |
      | kafka-exporter |
