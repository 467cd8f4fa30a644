@tier:iac @concern:deployment
Feature: Infrastructure as Code — what it deploys
  Seed: "A comprehensive deployment solution supporting multiple platforms and orchestration
  layers, implementing GitOps patterns for managing multiple hub instances and environments."
  Names are the mojaloop/iac-modules defaults (2025); override them in the tables.

  @guarantee:IAC-DEP-01 @needs:kubernetes-inventory
  Scenario: Multiple deployment platform targets: this one is a supported platform
    Then the platform is one of:
      | platform    |
      | aws         |
      | on-premises |
      | azure       |
      | gcp         |

  @guarantee:IAC-DEP-02 @needs:kubernetes-inventory
  Scenario: Multiple orchestration layer options: this one is a supported orchestration layer
    Then the Kubernetes distribution is one of:
      | distribution |
      | eks          |
      | microk8s     |
      | managed      |

  @guarantee:IAC-DEP-03 @needs:kubernetes-inventory
  Scenario: GitOps pattern: the control centre is deployed and healthy
    Then the control-centre stack is deployed and healthy

  @guarantee:IAC-DEP-04 @needs:kubernetes-inventory
  Scenario: GitOps pattern: multiple hub instances and environments are managed as synced applications
    # "Managing multiple hub instances" needs more than one: GitOps applications deploying
    # Mojaloop to at least two destinations (cluster and namespace), each synced and healthy.
    Then the control centre manages at least 2 hub environments, each synced and healthy

  @guarantee:IAC-DEP-05 @needs:kubernetes-inventory
  Scenario: Core services and backing services are deployed and healthy
    Then these services are deployed and healthy:
      | service                |
      | centralledger          |
      | ml-api-adapter         |
      | quoting-service        |
      | account-lookup-service |
      | centralsettlement      |
      | kafka                  |
      | mysqldb                |

  @guarantee:IAC-DEP-06 @needs:kubernetes-inventory
  Scenario: Portals are deployed and healthy
    Then the portals stack is deployed and healthy

  @guarantee:IAC-DEP-07 @needs:kubernetes-inventory
  Scenario: IAM stack is deployed and healthy
    Then the IAM stack is deployed and healthy

  @guarantee:IAC-DEP-08 @needs:kubernetes-inventory
  Scenario: Monitoring stack is deployed and healthy
    Then the monitoring stack is deployed and healthy

  @guarantee:IAC-DEP-09 @needs:kubernetes-inventory
  Scenario: PM4ML is deployed and healthy
    Then the PM4ML stack is deployed and healthy

  @guarantee:IAC-DEP-10 @needs:kubernetes-inventory
  Scenario: Mojaloop services are deployed from the HELM charts (everything of HELM Deploy)
    Then every Mojaloop component is managed by Helm
