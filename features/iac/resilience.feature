@tier:iac @concern:resilience
Feature: Infrastructure as Code — recovery
  Seed: "RTO/RPO: As close to zero as possible." Measured while transfers flow: one pod of a
  core service is killed; the hub must serve again quickly and lose no committed transfer.

  @guarantee:IAC-RSL-01 @needs:load @needs:fault-injection
  Scenario: RTO near zero when a central-ledger pod is lost
    Given P2P transfers are offered at 100 transfers per second for 10 minutes
    When one pod of "centralledger" is killed during the run
    Then transfers succeed again within 30 seconds

  @guarantee:IAC-RSL-02 @needs:load @needs:fault-injection
  Scenario: RPO zero: no committed transfer is lost when a pod is lost
    Given P2P transfers are offered at 100 transfers per second for 10 minutes
    When one pod of "centralledger" is killed during the run
    Then every transfer reported COMMITTED is still COMMITTED afterwards
