Feature: Decisions change the situation, and bad commands are refused with a reason
  Trainees answer injects with an option or their own course of action. Options move the
  situation variables and branch the scenario; rules adjudicate combined decisions of several
  roles. A command that cannot be carried out is refused with a reason the seat can show.

  Scenario: An option's effects move the situation, clamped to its bounds, naming the cause
    Given a running exercise of "harbour-test"
    When the UN mission answers I-01 with option A at 00:40
    Then violence is 2
    And the change of violence names its cause "option"

  Scenario: Combined decisions of two roles fire a rule
    Given a running exercise of "harbour-test"
    When the controller forces the react phase at 01:00
    And the military answers I-06 with option A at 01:05
    Then access is 6
    When the police answers I-06 with option A at 01:10
    Then access is 8
    And the change of access names its cause "rule"
    And the humanitarian has received I-08

  Scenario: A late answer is accepted and marked late
    Given a running exercise of "harbour-test"
    When the UN mission answers I-01 with option A at 01:45
    Then the UN mission answer to I-01 is recorded as late

  Scenario: An answer in time is on time
    Given a running exercise of "harbour-test"
    When the UN mission answers I-01 with option A at 01:00
    Then the UN mission answer to I-01 is recorded on time

  Scenario: A trainee may answer in their own words where the inject allows it
    Given a running exercise of "harbour-test"
    When the controller forces the react phase at 01:00
    And the police answers I-06 in their own words "Open a hotline with community leaders" at 01:05
    Then the command is accepted

  Scenario Outline: Commands that cannot be carried out are refused with a reason
    Given a running exercise of "harbour-test"
    When the clock reaches 00:30
    And the <role> answers <inject> with option <option> at 00:40
    Then the command is rejected because "<reason>"

    Examples:
      | role         | inject | option | reason                             |
      | police       | I-01   | A      | was not sent to your role          |
      | humanitarian | I-01   | A      | asks no response of your role      |
      | UN mission   | I-01   | Z      | unknown option 'Z'                 |
      | UN mission   | I-99   | A      | unknown inject 'I-99'              |
      | military     | I-04   | A      | was not sent to your role          |

  Scenario: A role cannot answer twice
    Given a running exercise of "harbour-test"
    When the UN mission answers I-01 with option A at 00:40
    And the UN mission answers I-01 with option B at 00:41
    Then the command is rejected because "I-01 already answered by"

  Scenario: A required rationale is enforced
    Given a running exercise of "harbour-test"
    When the UN mission answers I-01 with option A and no rationale at 00:40
    Then the command is rejected because "a rationale is required"

  Scenario: Nobody answers before play starts
    Given an exercise of "harbour-test" in setup
    When the UN mission answers I-01 with option A at 00:00
    Then the command is rejected because "has not started yet"
