Feature: Scoring and the after-action review
  Evaluators rate what they see against the rubric (P, S, M, U or N/O, with notes); the engine
  adds the points of the options chosen, the timeliness of answers and how far the roles
  coordinated. The after-action review follows HSEEP practice and is computed from the event
  log: scores, strengths and areas for improvement with their doctrine and evidence, the decision
  log, the hot wash and the improvement plan, in Markdown, HTML, JSON and CSV.

  Scenario: The better the decisions, the higher the score
    Given a simulated session of 'aar-kallen' where every role plays its best
    And another simulated session of 'aar-kallen' where every role plays its worst
    Then the first session scores above the second
    And every role of the first session scores above the same role of the second

  Scenario: An evaluator's rating weighs more than the option chosen
    Given a simulated session of 'aar-kallen' where every role plays its best
    When the evaluator Ana rates the UN mission M on UND-2
    Then the UN mission's UND-2 rating is S
    And the UN mission's UND-2 rating names the events it rests on

  Scenario: Several evaluators are kept apart and combined
    Given a simulated session of 'aar-kallen' where every role plays its best
    When the evaluator Ana rates the UN mission P on UND-2
    And the evaluator Ben rates the UN mission M on UND-2
    Then the AAR shows Ana's P and Ben's M for the UN mission on UND-2
    And the UN mission's UND-2 rating is S

  Scenario: A rating letter only where an evaluator rated
    Given a simulated session of 'aar-kallen' where every role plays its best
    When the evaluator Ana rates the UN mission M on UND-2
    Then the AAR's analysis shows Ana's M for the UN mission on UND-2 and no other letter
    And every other score of the AAR is a number out of 100, said to be computed by the engine

  Scenario: "Not observed" is recorded but not scored
    Given a simulated session of 'aar-kallen' where every role plays its best
    When the evaluator Ben rates the humanitarian N/O on UND-5
    Then the humanitarian's UND-5 rating is N/O
    And the AAR lists Ben's N/O on UND-5 as not counted

  Scenario: A critical criterion at the bottom of the scale caps its dimension
    Given a simulated session of 'aar-kallen' where every role plays its worst
    Then the military's protect score is capped at M
    And the executive summary names the cap

  Scenario: An answer never given counts against the role
    Given a simulated session of 'aar-kallen' where every role plays its best but the host state never answers INJ-003
    Then the host state answered 1 of 2 required decisions on time
    And the AAR lists INJ-003 under the decisions not taken
    And the improvement plan gives the host state a Planning item

  Scenario: Strengths and areas for improvement name their doctrine and evidence
    Given a simulated session of 'aar-kallen' where every role plays its worst
    When the evaluator Ana rates the UN mission U on UND-2, noting "Did not see the pattern"
    Then the AAR lists an area for improvement for the UN mission on UND-2
    And the finding cites "Understand civilian risks > Assessments"
    And the finding quotes Ana's note
    And the finding names the missed look-for "Raises the warning to decision-makers in time"

  Scenario: The hot wash walks each objective through the four AAR questions
    Given a simulated session of 'aar-kallen' where every role plays its worst
    Then the hot wash of OBJ-1 asks what was supposed to happen, what happened, why, and what to improve
    And the hot wash of OBJ-1 says why the UN mission chose B on INJ-001, citing the decision and what it changed

  Scenario: The report comes in four formats
    Given a simulated session of 'aar-kallen' where every role plays its best
    When the evaluator asks for the report in md, html, json and csv
    Then the HTML report is one file with charts and no external reference
    And the JSON report validates against its published schema
    And the CSV report has one row per decision
    And the Markdown report has an improvement plan

  Scenario: A recorded session is re-scored with another rubric
    Given a simulated session of 'aar-kallen' where every role plays its best
    When the evaluator re-scores it with a rubric that rates only UND-2
    Then the report says it was re-scored with rubric 'strict'
    And the recorded session is unchanged
