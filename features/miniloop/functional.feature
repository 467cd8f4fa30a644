@tier:miniloop @concern:functional
Feature: Miniloop — P2P transfers over FSPIOP (v1.1 and v2.0)
  Miniloop is for use-case experimentation: its golden path must work end to end, and its hub
  must refuse what a switch refuses.

  @guarantee:ML-FUN-01 @needs:fspiop-api
  Scenario: P2P golden path: lookup, quote and transfer committed
    When the payer DFSP looks up the party
    Then the lookup callback names the party and the payee DFSP that holds it
    When the payer DFSP requests a quote to send 100 to the party
    Then the quote callback agrees to that amount with an ILP packet and a condition for the party
    When the payer DFSP prepares the transfer on the agreed terms
    Then the transfer callback reports COMMITTED with a fulfilment that matches the condition
    And the hub reports the transfer as COMMITTED

  @guarantee:ML-FUN-02 @needs:fspiop-api
  Scenario: Looking up a party no DFSP holds ends in error 3204 "Party not found"
    Given a party no DFSP holds
    When the payer DFSP looks up the party
    Then the lookup ends with error callback 3204

  @guarantee:ML-FUN-03 @needs:fspiop-api @needs:controlled-payee
  Scenario: A transfer whose fulfilment does not match its condition is not committed
    Given a payee party whose DFSP answers transfers with a wrong fulfilment
    When the payer DFSP requests a quote to send 5 to the party
    And the payer DFSP prepares the transfer on the agreed terms
    Then the transfer ends with error callback 3100
    And the hub reports the transfer as ABORTED

  # What a switch must do beyond the golden path — the cases of Mojaloop's own golden-path
  # collections (Testing Toolkit): resends, rejections, expiry, limits, state queries, bad requests.

  @guarantee:ML-FUN-04 @needs:fspiop-api @needs:hub-ledger
  Scenario: A transfer sent twice with the same body is booked once, and the resend gets its state again
    Given the payer's position at the hub is noted
    When the payer DFSP requests a quote to send 7 to the party
    And the payer DFSP prepares the transfer on the agreed terms
    Then the transfer callback reports COMMITTED with a fulfilment that matches the condition
    When the payer DFSP sends the same transfer again
    Then the resend is answered with the state and fulfilment the transfer first got
    And the payer's position moved by the transfer amount once
    And the payee's position moved by the transfer amount once, the other way

  @guarantee:ML-FUN-05 @needs:fspiop-api
  Scenario: A transfer resent with the same id and a different body is refused with error 3106 "Modified request"
    When the payer DFSP requests a quote to send 8 to the party
    And the payer DFSP prepares the transfer on the agreed terms
    Then the transfer callback reports COMMITTED with a fulfilment that matches the condition
    When the payer DFSP sends a transfer with the same id and a different amount
    Then the resend ends with error callback 3106
    And the hub reports the transfer as COMMITTED

  @guarantee:ML-FUN-06 @needs:fspiop-api @needs:controlled-payee @needs:hub-ledger
  Scenario: A transfer the payee DFSP rejects is aborted, the payer is told, and no funds move
    Given a payee party whose DFSP rejects every transfer
    And the payer's position at the hub is noted
    When the payer DFSP requests a quote to send 9 to the party
    And the payer DFSP prepares the transfer on the agreed terms
    Then the transfer ends with error callback 5105
    And the hub reports the transfer as ABORTED
    And the payer's position is unchanged

  @guarantee:ML-FUN-07 @needs:fspiop-api @needs:controlled-payee @needs:hub-ledger
  Scenario: A transfer never fulfilled expires with error 3303 and its reservation is released
    Given a payee party whose DFSP never answers transfers
    And the payer's position at the hub is noted
    When the payer DFSP requests a quote to send 3 to the party
    And the payer DFSP prepares the transfer on the agreed terms, expiring in 2 seconds
    Then the payer's position holds the transfer amount reserved before the transfer expires
    And the transfer ends with error callback 3303
    And the hub reports the transfer as ABORTED
    And the payer's position is unchanged

  @guarantee:ML-FUN-08 @needs:fspiop-api @needs:hub-ledger
  Scenario: A transfer beyond the payer's net debit cap is refused with error 4200 "Payer limit error"
    # central-ledger checks the payer's liquidity cover before its cap (4001 before 4200).
    Given the payer's liquidity at the hub covers 100
    And the payer's net debit cap leaves room for 50 only
    When the payer DFSP requests a quote to send 100 to the party
    And the payer DFSP prepares the transfer on the agreed terms
    Then the transfer ends with error callback 4200
    And the payer's position is unchanged

  @guarantee:ML-FUN-09 @needs:fspiop-api
  Scenario: A quote for a payee DFSP the hub does not know ends in error 3201 "Destination FSP Error"
    When the payer DFSP requests a quote to send 5 to the party at DFSP "nosuchfsp"
    Then the quote ends with error callback 3201

  @guarantee:ML-FUN-10 @needs:fspiop-api
  Scenario: GET /transfers/{id} gives a transfer's current state, and error 3208 for an unknown id
    When the payer DFSP requests a quote to send 4 to the party
    And the payer DFSP prepares the transfer on the agreed terms
    Then the transfer callback reports COMMITTED with a fulfilment that matches the condition
    And the hub reports the transfer as COMMITTED
    When the payer DFSP asks the hub for a transfer it never sent
    Then the query ends with error callback 3208

  # The quoting service only forwards GET /quotes to the payee DFSP: the terms come back only
  # from a payee that answers it, so this needs a payee under our control.
  @guarantee:ML-FUN-11 @needs:fspiop-api @needs:controlled-payee
  Scenario: GET /quotes/{id} gives the quote's terms again
    When the payer DFSP requests a quote to send 6 to the party
    Then the quote callback agrees to that amount with an ILP packet and a condition for the party
    When the payer DFSP asks for the quote again
    Then the answer repeats the quote's terms

  @guarantee:ML-FUN-12 @needs:fspiop-api
  Scenario: A quote with an amount of more than 4 decimals is refused by the hub with a validation error (3100 or 3101)
    When the payer DFSP requests a quote with the amount "12.34567"
    Then the quote is refused with error 3100 or 3101

  @guarantee:ML-FUN-13 @needs:fspiop-api
  Scenario: A quote in a currency that is no ISO 4217 code is refused by the hub with a validation error (3100 or 3101)
    When the payer DFSP requests a quote with the currency "US1"
    Then the quote is refused with error 3100 or 3101

  @guarantee:ML-FUN-14 @needs:fspiop-api @needs:controlled-payee
  Scenario: A party name in non-Latin script survives the round trip
    Given a payee party whose name is written in non-Latin script
    When the payer DFSP looks up the party
    Then the lookup callback names the party and the payee DFSP that holds it
    And the party's name arrives exactly as its DFSP holds it

  @guarantee:ML-FUN-15 @needs:fspiop-api @needs:controlled-payee
  Scenario: A party addressed with a sub-id is found, and a transfer to it is committed
    Given a payee party addressed with a sub-id
    When the payer DFSP looks up the party
    Then the lookup callback names the party and the payee DFSP that holds it
    When the payer DFSP requests a quote to send 2 to the party
    Then the quote callback agrees to that amount with an ILP packet and a condition for the party
    When the payer DFSP prepares the transfer on the agreed terms
    Then the transfer callback reports COMMITTED with a fulfilment that matches the condition

  @guarantee:ML-FUN-16 @needs:fspiop-api @needs:controlled-payee @needs:payee-observation
  Scenario: A transfer that expires is reported to the payee DFSP too, with error 3303
    Given a payee party whose DFSP never answers transfers
    When the payer DFSP requests a quote to send 3 to the party
    And the payer DFSP prepares the transfer on the agreed terms, expiring in 2 seconds
    Then the transfer ends with error callback 3303
    And the payee DFSP is told the transfer ended with error 3303

  # Mojaloop originates its own callbacks (errors, GET answers, expiries) in its configured
  # version, 2.0 by default, and relays a DFSP's in the DFSP's: each must be one the request
  # listed in its Accept (fspiop.accept; both majors by default).
  @guarantee:ML-FUN-17 @needs:fspiop-api
  Scenario: Every callback comes in an FSPIOP version its request accepted
    When the payer DFSP looks up the party
    And the payer DFSP requests a quote to send 1 to the party
    And the payer DFSP prepares the transfer on the agreed terms
    And the payer DFSP asks the hub for a transfer it never sent
    Then every callback came in an FSPIOP version its request accepted

  @guarantee:ML-FUN-18 @needs:fspiop-api @needs:hub-ledger
  Scenario: A transfer beyond the payer's liquidity cover is refused with error 4001 "Payer FSP insufficient liquidity"
    Given the payer's liquidity at the hub leaves room for 50 only
    When the payer DFSP requests a quote to send 100 to the party
    And the payer DFSP prepares the transfer on the agreed terms
    Then the transfer ends with error callback 4001
    And the payer's position is unchanged

  # central-ledger answers a GET /transfers/{id} from a DFSP that is neither payer nor payee with
  # 3000 (its transfer handler's getTransfer): a transfer's state and fulfilment are the two
  # parties' business. Asked by a third DFSP of ours on the hub, party to none of our transfers.
  @guarantee:ML-FUN-19 @needs:fspiop-api @needs:bystander-dfsp
  Scenario: GET /transfers/{id} asked by a DFSP that is not a party to the transfer is refused with error 3000 "Generic client error"
    When the payer DFSP requests a quote to send 3 to the party
    And the payer DFSP prepares the transfer on the agreed terms
    Then the transfer callback reports COMMITTED with a fulfilment that matches the condition
    When a DFSP that is not a party to the transfer asks the hub for it
    Then that DFSP is refused with error callback 3000 and told neither the transfer's state nor its fulfilment
