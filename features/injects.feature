Feature: Injects reach the right roles at the right time
  The scenario's MSEL delivers injects at a time after their phase starts, after another inject,
  when a condition first holds, or when a decision or rule triggers them. Each role receives an
  inject once, and only the roles it is addressed to see it.

  Scenario: A timed inject arrives at its offset into the phase
    Given a running exercise of "harbour-test"
    When the clock reaches 00:29
    Then the UN mission has not received I-01
    When the clock reaches 00:30
    Then I-01 reached the UN mission at 00:30
    And the humanitarian has received I-01
    And the police has not received I-01

  Scenario: An inject follows another after its delay
    Given a running exercise of "harbour-test"
    When the clock reaches 01:29
    Then the police has not received I-02
    When the clock reaches 01:30
    Then I-02 reached the police at 01:30

  Scenario: An option triggers a follow-up inject at once
    Given a running exercise of "harbour-test"
    When the UN mission answers I-01 with option A at 00:40
    Then I-04 reached the military at 00:40

  Scenario: A condition delivers an inject the moment it first holds
    Given a running exercise of "harbour-test"
    When the UN mission answers I-01 with option A at 00:40
    And the military answers I-04 with option B at 00:50
    Then I-03 reached the humanitarian at 00:50

  Scenario: A contingency inject fires when an expected answer is overdue
    Given a running exercise of "harbour-test"
    When the clock reaches 01:31
    Then the UN mission answer to I-01 is marked overdue
    And I-05 reached the UN mission at 01:30

  Scenario: The controller cannot deliver an inject twice to a role
    Given a running exercise of "harbour-test"
    When the clock reaches 00:30
    And the controller sends I-01 to the UN mission at 00:35
    Then the command is rejected because "already been delivered"
    And I-01 was delivered 1 time(s) to the UN mission

  Scenario: The controller sends an ad-hoc inject
    Given a running exercise of "harbour-test"
    When the controller sends an ad-hoc inject "Red cell: militia roadblock" to the police at 00:10
    Then the police has received ADHOC-1

  Scenario: A seat reads only its own role's injects
    Given a running exercise of "harbour-test"
    When the clock reaches 00:30
    Then the humanitarian seat reads I-01 but the police seat does not
