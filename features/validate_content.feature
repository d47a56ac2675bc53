Feature: Course designers validate their content like code
  A designer runs `exercise validate` on scenario files. Every mistake is reported with the
  file, line and column, the field and what was expected, all at once, with exit code 1 and
  never a traceback. Scenario files are untrusted: hostile content is refused, never run.

  Scenario: The shipped content is valid, strictly
    Given the shipped content
    When the designer validates it strictly
    Then the validator exits with 0
    And no traceback is printed

  Scenario: A valid scenario passes
    Given the broken file "valid.yaml"
    When the designer validates it
    Then the validator exits with 0

  Scenario Outline: A broken file is refused at the line of the mistake
    Given the broken file "<file>"
    When the designer validates it
    Then the validator exits with 1
    And an error names line <line>, column <column>: "<says>"
    And no traceback is printed

    Examples:
      | file                   | line | column | says                                         |
      | syntax-error.yaml      | 36   | 9      | this bracket is never closed                 |
      | tab-indentation.yaml   | 34   | 1      | tab character in indentation                 |
      | duplicate-key.yaml     | 24   | 5      | duplicate key 'channel' (first at line 22)   |
      | empty.yaml             | 1    | 1      | file is empty                                |
      | bare-string.yaml       | 1    | 1      | expected a mapping of fields                 |
      | unknown-format.yaml    | 1    | 9      | did you mean 'exercise-scenario/1'?          |
      | missing-format.yaml    | 1    | 1      | missing 'format:' line                       |
      | wrong-type.yaml        | 6    | 59     | expected a number, got 'fast'                |
      | unknown-role.yaml      | 28   | 15     | unknown role 'un-mission'; did you mean 'un_mission'? |
      | unknown-tag.yaml       | 24   | 12     | unknown doctrine tag 'early-warnings'        |
      | unknown-criterion.yaml | 31   | 73     | unknown criterion 'UND-2'; did you mean 'UND-1'? |
      | unknown-inject.yaml    | 30   | 68     | unknown inject 'B-03'                        |
      | unknown-library.yaml   | 32   | 10     | unknown inject library 'basic'; did you mean 'basics'? |
      | unknown-variable.yaml  | 31   | 53     | unknown variable 'violense'                  |
      | unknown-field.yaml     | 23   | 5      | unknown field 'tittle'; did you mean 'title'? |
      | bad-duration.yaml      | 27   | 12     | is not a duration like                       |
      | sexagesimal-time.yaml  | 27   | 12     | base-60 number 750                           |
      | yes-as-text.yaml       | 23   | 12     | reads unquoted 'yes' as the boolean true     |
      | duplicate-option.yaml  | 31   | 16     | id 'A' is used twice                         |
      | missing-phase.yaml     | 10   | 3      | missing required phase 'rebuild'             |
      | wrong-phase-order.yaml | 10   | 3      | order prevent, react, rebuild                |
      | expression-syntax.yaml | 15   | 29     | invalid expression: syntax error             |
      | hostile-import.yaml    | 15   | 29     | invalid expression                           |
      | hostile-attribute.yaml | 15   | 29     | attribute access ('.') is not allowed        |
      | hostile-power.yaml     | 15   | 29     | huge powers are refused                      |
      | python-tag.yaml        | 23   | 12     | the tag !!python/object/apply:os.system is not allowed |
      | nested-power.yaml      | 15   | 29     | powers cannot be nested                      |
      | condition-not-bool.yaml | 15  | 29     | a condition must be true or false            |
      | not-a-number.yaml      | 8    | 39     | expected a finite number                     |
      | self-transition.yaml   | 15   | 14     | phase 'react' cannot move on to itself       |
      | nobody-answers.yaml    | 28   | 14     | must not be empty                            |
      | reserved-variable.yaml | 8    | 3      | variable name 'move' is reserved             |
      | duplicate-rule-id.yaml | 39   | 10     | rule id 'r1' is used twice                   |
      | alias-bomb.yaml        | 7    | 10     | alias bomb                                   |
      | deep-nesting.yaml      | 3    | 1007   | nesting is too deep                          |
      | outcome-rating.yaml    | 20   | 26     | 'F' is not a rating of this rubric's scale   |
      | outcome-two-bounds.yaml | 20  | 17     | exactly one of 'at_most' or 'at_least'       |
      | outcome-share-bound.yaml | 17 | 13     | a share_of_range bound lies between 0 and 1  |
      | coordination-pair-role.yaml | 10 | 29  | unknown role 'militray'; did you mean 'military'? |
      | sensitive-share-with.yaml | 27 | 20    | unknown role 'un_mision'; did you mean 'un_mission'? |

  Scenario: A follow-up triggered after its phase has passed is flagged
    Given the broken file "late-trigger.yaml"
    When the designer validates it
    Then the validator exits with 0
    And a warning says "B-04 belongs to phase 'prevent', which play cannot return to from 'react'"

  Scenario: A design problem is a warning, and an error under --strict
    Given the broken file "undeliverable.yaml"
    When the designer validates it
    Then the validator exits with 0
    And a warning says "can never be delivered"
    When the designer validates it strictly
    Then the validator exits with 1

  Scenario: A rubric outcome the scenario's variables cannot measure, or that points the wrong way, is flagged
    Given the broken file "outcome-unmeasurable.yaml"
    When the designer validates it
    Then the validator exits with 0
    And a warning says "reads 'access' as a share of its range, which needs both 'min' and 'max'"
    And a warning says "rates a low 'access' U, but the scenario says lower is better for civilians"
    And a warning says "reads 'displaced' against its value at STARTEX, which is 0"
