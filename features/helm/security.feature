@tier:helm @concern:security
Feature: HELM Deploy — security
  Seed: "User is required to harden their own Kubernetes cluster. Security limited to HELM charts -
  additional security configuration required." The run lists hardening findings of the cluster.

  @guarantee:HELM-SEC-01 @needs:kubernetes-inventory
  Scenario: Hardening: containers run as non-root with a read-only root filesystem
    Then every Mojaloop container runs as a non-root user with a read-only root filesystem

  @guarantee:HELM-SEC-02 @needs:kubernetes-inventory
  Scenario: Hardening: no container is privileged
    Then no container runs privileged

  @guarantee:HELM-SEC-03 @needs:kubernetes-inventory
  Scenario: Hardening: every namespace running Mojaloop has a network policy
    Then every namespace running Mojaloop has a network policy
