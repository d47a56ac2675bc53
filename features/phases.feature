Feature: The exercise moves through prevent, react and rebuild
  A controller runs a scenario through the three R2P phases. The scenario's transitions move
  play on when their conditions hold; the controller can hold a phase or force another one.

  Scenario: Play starts in prevent
    Given a running exercise of "harbour-test"
    Then the exercise is in the prevent phase

  Scenario: A bad decision escalates play into react
    Given a running exercise of "harbour-test"
    When the UN mission answers I-01 with option B at 00:45
    Then the exercise is in the react phase
    And the log records the transition to react with its condition "violence >= 7 or elapsed_in_phase >= '6h'"

  Scenario: A phase moves on at its time fallback when nothing else moves it
    Given a running exercise of "harbour-test"
    When the clock reaches 05:59
    Then the exercise is in the prevent phase
    When the clock reaches 06:00
    Then the exercise is in the react phase

  Scenario: The controller holds a phase past its fallback, then releases it
    Given a running exercise of "harbour-test"
    When the controller holds the phase
    And the clock reaches 07:00
    Then the exercise is in the prevent phase
    When the controller releases the phase at 07:10
    Then the exercise is in the react phase

  Scenario: The controller forces a phase
    Given a running exercise of "harbour-test"
    When the controller forces the rebuild phase at 01:00
    Then the exercise is in the rebuild phase

  Scenario: Violence flaring in rebuild relapses play into react, as the scenario declares
    Given a running exercise of "harbour-test"
    When the controller forces the rebuild phase at 01:00
    And the UN mission answers I-01 with option B at 01:10
    Then the exercise is in the react phase
    And the log records the transition to react with its condition "violence >= 7"

  Scenario: The exercise ends at ENDEX and goes to the debrief
    Given a running exercise of "harbour-test"
    When the clock reaches 20:00
    Then the exercise is in the debrief phase
