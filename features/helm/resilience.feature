@tier:helm @concern:resilience
Feature: HELM Deploy — recovery
  Seed: "RTO/RPO: As close to zero as possible." Measured while transfers flow: a component of the
  deployment is killed mid-way through the steady state; the hub must serve again quickly and lose
  no committed transfer.
  RTO is the time from the kill to the first 5 seconds in a row in which transfers succeed and none
  fails. Its threshold, 75 seconds, is what Mojaloop's own chart makes possible for central-ledger:
  mojaloop/helm centralledger/chart-service/values.yaml runs one replica (replicaCount: 1) whose
  readiness probe starts 60 s after the container starts (initialDelaySeconds: 60) and repeats
  every 15 s (periodSeconds: 15); Kubernetes routes nothing to a pod before it is ready, so a killed
  replica restarted in place serves again 60 to 75 s later. A deployment that runs more replicas, or
  promises less, states its own objective in the config (resilience.rto: maxMs and source), which
  every RTO verdict then names instead.
  RPO is judged on what the payer saw committed: every transfer COMMITTED within 5 s of the kill,
  and a random sample of the rest, is asked back at the hub afterwards (GET /transfers/{id}).
  Losing a node of the data tier (database, message broker) needs a target that can fault it;
  elsewhere that guarantee is NOT EVALUATED, saying so.
  Under a reduced load (smoke) a recovery that would pass is NOT EVALUATED, with what was measured.

  @guarantee:HELM-RSL-01 @needs:load @needs:fault-injection
  Scenario: RTO near zero when a central-ledger pod is lost
    Given P2P transfers are offered at 100 transfers per second for 10 minutes
    When one pod of "centralledger" is killed during the run
    Then transfers succeed again within 75 seconds, the recovery time objective of "one central-ledger replica restarted and ready: mojaloop/helm centralledger chart, readiness probe initialDelaySeconds 60 + periodSeconds 15"

  @guarantee:HELM-RSL-02 @needs:load @needs:fault-injection
  Scenario: RPO zero: no committed transfer is lost when a pod is lost
    Given P2P transfers are offered at 100 transfers per second for 10 minutes
    When one pod of "centralledger" is killed during the run
    Then every transfer reported COMMITTED is still COMMITTED afterwards

  @guarantee:HELM-RSL-03 @needs:load @needs:data-tier-fault-injection
  Scenario: RPO zero: no committed transfer is lost when a node of the data tier is lost
    Given P2P transfers are offered at 100 transfers per second for 10 minutes
    When one pod of "mysql" is killed during the run
    Then every transfer reported COMMITTED is still COMMITTED afterwards
