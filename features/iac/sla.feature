@tier:iac @concern:sla @sla
Feature: Infrastructure as Code — SLA
  Seed: "Availability: 4/5 9's. TPS: 1000+ (sustained for 1 hour). Latency (percentiles, excluding
  external latencies): Clearing 99% < 1 second; Lookup 99% < 1 second; Agreement of Terms 99% < 1 second."
  Load is open-model (arrivals on schedule whether or not earlier ones finished); figures are
  taken in the steady-state window. Under the smoke profile the offered load is scaled down and
  no SLA can be certified.

  @guarantee:IAC-SLA-01 @needs:load
  Scenario: Throughput: 1000 transfers per second sustained for 1 hour
    Given P2P transfers are offered at 1000 transfers per second for 1 hour
    Then the achieved throughput is at least 1000 transfers per second with no dropped iterations

  @guarantee:IAC-SLA-02 @needs:load
  Scenario: Lookup latency: 99% within 1 second
    Given P2P transfers are offered at 1000 transfers per second for 1 hour
    Then 99% of lookups complete within 1 second

  @guarantee:IAC-SLA-03 @needs:load
  Scenario: Agreement of terms latency: 99% within 1 second
    Given P2P transfers are offered at 1000 transfers per second for 1 hour
    Then 99% of quotes complete within 1 second

  @guarantee:IAC-SLA-04 @needs:load
  Scenario: Clearing latency: 99% within 1 second
    Given P2P transfers are offered at 1000 transfers per second for 1 hour
    Then 99% of transfers complete within 1 second

  @guarantee:IAC-SLA-05 @needs:load
  Scenario: Availability: 99.99% or better during the run
    Given P2P transfers are offered at 1000 transfers per second for 1 hour
    Then at least 99.99% of transfers succeed
