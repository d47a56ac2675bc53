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

  Scenario: In turn mode a move's injects all arrive at its start
    Given a running exercise of "moves-test"
    Then the exercise is in move 1
    And the UN mission has received M-01
    And M-02 reached the military at 00:00
    When the UN mission answers M-01 with option A at 00:00
    And the controller starts the next move
    Then the exercise is in move 2
    And the UN mission answer to M-01 is recorded on time
    And the exercise is in the react phase
    And M-03 reached the police at 06:00
    When the controller starts the next move
    Then the exercise is in the rebuild phase

  Scenario: In turn mode an answer left to the next move is late
    Given a running exercise of "moves-test"
    When the controller starts the next move
    And the military answers M-02 with option A at 06:00
    Then the military answer to M-02 is recorded as late
    And the military answer to M-02 is marked overdue
