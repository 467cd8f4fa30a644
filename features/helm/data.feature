@tier:helm @concern:data
Feature: HELM Deploy — data management
  Seed: "Mitigations against data loss (replication, disaster recovery). Retention (audit,
  compliance). Archiving." The backend chart's defaults (persistence off, Kafka replication
  factor 1) cannot meet this; the run reports what the cluster really has.

  @guarantee:HELM-DAT-01 @needs:kubernetes-inventory
  Scenario: Replication: Kafka keeps every topic on at least 3 brokers
    Then Kafka replicates topics at least 3 times

  @guarantee:HELM-DAT-02 @needs:kubernetes-inventory
  Scenario: Replication: the databases run with at least 2 replicas
    Then these services run with at least 2 ready replicas:
      | service    |
      | mysqldb    |
      | cl-mongodb |

  @guarantee:HELM-DAT-03 @needs:kubernetes-inventory
  Scenario: Data survives a restart: stateful services keep their data on persistent volumes
    Then these services keep their data on bound persistent volumes:
      | service    |
      | kafka      |
      | mysqldb    |
      | cl-mongodb |

  @guarantee:HELM-DAT-04 @needs:kubernetes-inventory
  Scenario: Disaster recovery: backups are scheduled
    Then a backup schedule is deployed

  @guarantee:HELM-DAT-05 @needs:kubernetes-inventory
  Scenario: Retention for audit and compliance: the ledger is kept
    # The audit record of a hub is its ledger database and its backups, not Kafka's topics: the
    # evidence is how long backups of the ledger are kept (Velero Schedule ttl, Percona backup
    # schedules' keep), or a ledger database that keeps nothing beyond its pod.
    Then backups of the ledger are kept for at least 7 days

  @guarantee:HELM-DAT-06 @needs:kubernetes-inventory
  Scenario: Archiving: an archiving job exists and runs
    Then an archiving job is deployed and its last run succeeded within its schedule
