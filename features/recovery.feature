Feature: Nothing recorded is lost, and seats talk to the controller through the store
  Every decision is an event in SQLite. A controller that restarts continues from the log
  exactly where it stopped; seats in other processes submit commands to the inbox and the
  controller decides them.

  Scenario: A restarted controller continues exactly where it stopped
    Given a running exercise of "harbour-test"
    When the UN mission answers I-01 with option A at 00:40
    And the controller process restarts
    And the military answers I-04 with option A at 00:50
    Then I-04 was delivered 1 time(s) to the military
    And the log numbers events without gaps
    And the state rebuilt from the log equals the live state
    And access is 7

  Scenario: A seat's answer goes through the inbox
    Given a running exercise of "harbour-test"
    When the clock reaches 00:30
    And the UN mission seat submits an answer to I-01 with option A
    And the controller processes the inbox at 00:40
    Then the UN mission seat's command is accepted
    And violence is 2

  Scenario: A seat's bad command is refused with its reason kept
    Given a running exercise of "harbour-test"
    When the clock reaches 00:30
    And the police seat submits an answer to I-01 with option A
    And the controller processes the inbox at 00:40
    Then the police seat's command is rejected
    And the command is rejected because "was not sent to your role"
