@tier:iac @concern:data
Feature: Infrastructure as Code — data management
  Seed: "Mitigations against data loss (replication, disaster recovery). Retention (audit,
  compliance). Archiving." iac-modules deploys Percona XtraDB and MongoDB clusters, Strimzi Kafka
  and Velero; the run reports what this environment really has.

  @guarantee:IAC-DAT-01 @needs:kubernetes-inventory
  Scenario: Replication: Kafka keeps every topic on at least 3 brokers
    Then Kafka replicates topics at least 3 times

  @guarantee:IAC-DAT-02 @needs:kubernetes-inventory
  Scenario: Replication: the databases run with at least 3 replicas
    Then these services run with at least 3 ready replicas:
      | service |
      | mysqldb |

  @guarantee:IAC-DAT-06 @needs:kubernetes-inventory
  Scenario: Data survives a restart: stateful services keep their data on persistent volumes
    Then these services keep their data on bound persistent volumes:
      | service |
      | kafka   |
      | mysqldb |

  @guarantee:IAC-DAT-03 @needs:kubernetes-inventory
  Scenario: Disaster recovery: backups are scheduled
    Then a backup schedule is deployed

  @guarantee:IAC-DAT-04 @needs:kubernetes-inventory
  Scenario: Retention for audit and compliance: the ledger is kept
    # The audit record of a hub is its ledger database and its backups, not Kafka's topics: the
    # evidence is how long backups of the ledger are kept (Velero Schedule ttl, Percona backup
    # schedules' keep), or a ledger database that keeps nothing beyond its pod.
    Then backups of the ledger are kept for at least 7 days

  @guarantee:IAC-DAT-05 @needs:kubernetes-inventory
  Scenario: Archiving: an archiving job exists and runs
    Then an archiving job is deployed and its last run succeeded within its schedule
