@tier:helm @concern:security
Feature: HELM Deploy — security
  Seed: "User is required to harden their own Kubernetes cluster. Security limited to HELM charts -
  additional security configuration required." The run lists hardening findings of the cluster:
  the Mojaloop workloads the charts deploy, and apart from them the operators, databases and
  brokers they run on.

  @guarantee:HELM-SEC-01 @needs:kubernetes-inventory
  Scenario: Hardening: Mojaloop containers run as non-root with a read-only root filesystem
    Then every Mojaloop container runs as a non-root user with a read-only root filesystem

  @guarantee:HELM-SEC-02 @needs:kubernetes-inventory
  Scenario: Hardening: no Mojaloop container is privileged
    Then no Mojaloop container runs privileged

  @guarantee:HELM-SEC-03 @needs:kubernetes-inventory
  Scenario: Hardening: every namespace running Mojaloop has a network policy
    Then every namespace running Mojaloop has a network policy

  @guarantee:HELM-SEC-04 @needs:kubernetes-inventory
  Scenario: Hardening: operators, databases and brokers run unprivileged, as non-root users
    Then every operator, database and broker container runs unprivileged as a non-root user
