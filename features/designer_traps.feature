Feature: A designer's common mistakes are answered with what to do
  Every trap a course designer fell into converting other teams' material gets a message that
  says what to write instead: not only what is wrong, but the fix, at the line of the mistake.
  --strict judges the design (is each decision rated by someone?), not bookkeeping.

  Scenario Outline: A mistake is reported with its fix
    Given the designer's file "<file>"
    When the designer validates it
    Then the validator exits with 1
    And an error names line <line>, column <column>: "<says>"
    And no traceback is printed

    Examples:
      | file                      | line | column | says                                                            |
      | due-bare-number.yaml      | 27   | 12     | write "15m" for 15 minutes                                      |
      | at-bare-number.yaml       | 20   | 9      | write "+10m" for 10 minutes                                     |
      | expression-name-typo.yaml | 15   | 29     | unknown name 'elapsed_in_phse'; did you mean 'elapsed_in_phase'? |
      | to-all-players.yaml       | 21   | 9      | write 'players' for every player role (control cells left out)  |
      | unknown-tag-help.yaml     | 24   | 12     | `exercise doctrine` lists the tags                              |
      | unknown-tag-help.yaml     | 24   | 12     | keep keywords of your own in the file's meta.tags               |
      | rubric-weight.yaml        | 24   | 22     | 2 is more than 1, the most allowed here; a share of the score runs from 0 to 1 |
      | negative-offset.yaml      | 20   | 9      | '-1d' is before the phase starts, and offsets count forward from it; for material players read before STARTEX, write before_startex: "1d" |
      | module-without-phase.yaml | 21   | 13     | module M1 belongs to phase 'prevent': add 'phase: prevent'      |
      | module-clock-without-start.yaml | 12 | 57  | a module's clock needs the scenario's clock.start (a time of day such as "06:00" will do |

  Scenario: An unscored option is fine where evaluators rate the decision
    Given the designer's file "unscored-where-evaluators-rate.yaml"
    When the designer validates it strictly
    Then the validator exits with 0

  Scenario: A decision nobody rates is a design warning
    Given the designer's file "unscored-unrated.yaml"
    When the designer validates it
    Then the validator exits with 0
    And a warning says "neither the option nor an evaluator rates this decision"
    When the designer validates it strictly
    Then the validator exits with 1

  Scenario: A blanket list of expected criteria is a design warning
    Given the designer's file "blanket-expect.yaml"
    When the designer validates it
    Then the validator exits with 0
    And a warning says "B-01 expects every criterion of dimension 'understand' (6); name the two or three"

  Scenario: A starter is written into the designer's own content folder
    Given an empty project folder
    When the designer runs "exercise new scenario ward-drill --content mycontent"
    Then the command succeeds
    And the file "mycontent/scenarios/ward-drill.yaml" exists
    And the file "scenarios/ward-drill.yaml" does not exist
    When the designer runs "exercise new role triage_officer --content mycontent"
    And the designer runs "exercise new rubric triage --content mycontent"
    And the designer runs "exercise new library ward-injects --content mycontent"
    Then the file "mycontent/roles/triage_officer.yaml" exists
    And the file "mycontent/scoring/triage.yaml" exists
    And the file "mycontent/injects/ward-injects.yaml" exists
    When the designer runs "exercise validate --strict --content mycontent mycontent"
    Then the command succeeds

  Scenario: A starter goes to the file named with -o
    Given an empty project folder
    When the designer runs "exercise new rubric triage -o elsewhere/triage-rubric.yaml"
    Then the command succeeds
    And the file "elsewhere/triage-rubric.yaml" exists
    When the designer runs "exercise validate --strict elsewhere/triage-rubric.yaml"
    Then the command succeeds

  Scenario: The shipped starter names a few criteria per inject, not the whole rubric
    Given an empty project folder
    When the designer runs "exercise new scenario river-floods"
    Then the file "scenarios/river-floods.yaml" does not name every criterion of "poc-doctrine"

  Scenario: A scenario validated without its content folder is told which option adds it
    Given an empty project folder
    And a course folder "course" whose scenario seats its own role "medic"
    When the designer runs "exercise validate course/scenarios/ward.yaml"
    Then the command fails with exit code 1 saying "unknown role 'medic'; it is defined in course/roles/medic.yaml, which is not on the content path: add --content course"
    When the designer runs "exercise validate --content course course/scenarios/ward.yaml"
    Then the command succeeds

  Scenario: Re-scoring with a rubric that rates none of the scenario's criteria is refused
    Given an empty project folder
    When the designer runs "exercise simulate harbour-test --content {fixtures} --db exercise.db"
    And the designer runs "exercise new rubric triage -o triage.yaml"
    And the designer runs "exercise report --db exercise.db --rubric triage.yaml"
    Then the command fails with exit code 1 saying "rubric 'triage' (triage.yaml) rates none of the"
    And the command fails with exit code 1 saying "re-score with a revision of rubric 'test-rubric' that keeps its criterion ids"

  Scenario: Re-scoring with a rubric that lacks some of the scenario's criteria says which
    Given an empty project folder
    When the designer runs "exercise simulate harbour-test --content {fixtures} --db exercise.db"
    And the designer runs "exercise report --db exercise.db --rubric {traps}/partial-rubric.yaml"
    Then the command succeeds
    And the output lists "Re-scored with rubric 'test-rubric-revised'"
    And the error output says "rubric 'test-rubric-revised' lacks 1 of the 3 criteria the scenario scores and expects (SHP-1); what was scored on them is left out"
