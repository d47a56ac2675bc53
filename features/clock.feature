Feature: The controller runs the clock
  Scenario time runs in realtime at the scenario's speed or in moves. Pausing stops the clock
  and keeps the phase; answers wait until play resumes.

  Scenario: Answers are refused while the exercise is paused
    Given a running exercise of "harbour-test"
    When the clock reaches 00:30
    And the controller pauses the exercise at 00:35
    And the UN mission answers I-01 with option A at 00:36
    Then the command is rejected because "paused"
    And the exercise is in the prevent phase

  Scenario: The clock does not run while paused
    Given a running exercise of "harbour-test"
    When the controller pauses the exercise at 00:10
    And the clock reaches 00:40
    Then the command is rejected because "paused"
    And the UN mission has not received I-01
    When the controller resumes the exercise at 00:40
    And the clock reaches 00:40
    Then the UN mission has received I-01

  Scenario: In turn mode each move brings what happened since the last one
    Given a running exercise of "moves-test"
    Then the exercise is in move 1
    And the UN mission has received M-01
    And the military has not received M-02
    When the UN mission answers M-01 with option A at 00:00
    And the controller starts the next move
    Then the exercise is in move 2
    And the military has received M-02
    And the UN mission answer to M-01 is recorded on time
    And the exercise is in the react phase
    When the controller starts the next move
    Then the exercise is in the rebuild phase
