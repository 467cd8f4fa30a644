@tier:miniloop @concern:deployment
Feature: Miniloop — what it deploys
  Seed: "A single-node Kubernetes-based deployment tool that provides a more production-like
  environment for testing and evaluation purposes. It uses HELM with string replacements for
  configuration." Names are the mini-loop v5 defaults (releases `be` and `ml`); override them in the tables.

  @guarantee:ML-DEP-01 @needs:kubernetes-inventory
  Scenario: Single node Kubernetes deployment
    Then the deployment runs on a single node

  @guarantee:ML-DEP-02 @needs:kubernetes-inventory
  Scenario: Microk8s-based
    # mini-loop v5 installs k3s by default and MicroK8s only when asked: a default install is
    # reported as a mismatch with the seed, with the kubelet version that shows it (as ML-DEP-05
    # reports the ingress controller the seed says Miniloop has not).
    Then the Kubernetes distribution is one of:
      | distribution |
      | microk8s     |

  @guarantee:ML-DEP-03 @needs:kubernetes-inventory
  Scenario: HELM with string replacements: the releases are deployed from the Mojaloop charts
    Then these Helm releases are deployed:
      | release |
      | be      |
      | ml      |

  @guarantee:ML-DEP-04 @needs:kubernetes-inventory
  Scenario: No gateway components
    Then no gateway component is deployed

  @guarantee:ML-DEP-05 @needs:kubernetes-inventory
  Scenario: No ingress/egress components
    Then no ingress component is deployed
    And no egress component is deployed

  @guarantee:ML-DEP-06 @needs:kubernetes-inventory
  Scenario: No IAM stack
    Then no IAM component is deployed

  @guarantee:ML-DEP-07 @needs:kubernetes-inventory
  Scenario: Core services are deployed and healthy
    Then these services are deployed and healthy:
      | service                |
      | centralledger          |
      | ml-api-adapter         |
      | quoting-service        |
      | account-lookup-service |
      | centralsettlement      |

  @guarantee:ML-DEP-08 @needs:kubernetes-inventory
  Scenario: Backing services are deployed and healthy
    Then these services are deployed and healthy:
      | service     |
      | kafka       |
      | mysqldb     |
      | cl-mongodb  |

  @guarantee:ML-DEP-09 @needs:kubernetes-inventory
  Scenario: Enables testing in the Kubernetes layer: the Helm test jobs succeed
    Then every Helm test job of release "ml" completed successfully
