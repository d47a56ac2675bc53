Feature: Designers start, inspect and check content from the command line
  A designer scaffolds a new scenario, lists what is on the content path, asks for the JSON
  Schema for their editor, and sees which doctrine items the content exercises.

  Scenario: A new starter scenario is valid under --strict
    Given an empty project folder
    When the designer runs "exercise new scenario river-floods"
    Then the command succeeds
    And the file "scenarios/river-floods.yaml" exists
    When the designer runs "exercise validate --strict scenarios/river-floods.yaml"
    Then the command succeeds

  Scenario: The starter refuses to overwrite a scenario
    Given an empty project folder
    When the designer runs "exercise new scenario river-floods"
    And the designer runs "exercise new scenario river-floods"
    Then the command fails with exit code 2 saying "already exists"

  Scenario: The scenarios on the content path are listed by id
    Given an empty project folder
    When the designer runs "exercise scenarios --ids --content {fixtures}"
    Then the command succeeds
    And the output lists "harbour-test"
    And the output lists "moves-test"

  Scenario: The JSON Schema of the scenario format is printed for editors
    Given an empty project folder
    When the designer runs "exercise schema scenario"
    Then the command succeeds
    And the output is a JSON Schema with the property "injects"

  Scenario: Every doctrine item is used by the shipped content
    Given an empty project folder
    When the designer runs "exercise doctrine --missing"
    Then the command succeeds
    And the output lists "0 unused"

  Scenario: Every doctrine item is put in play by the shipped scenarios
    Given an empty project folder
    When the designer runs "exercise doctrine --missing --played"
    Then the command succeeds
    And the output lists "257 of 257 doctrine items used by the scenarios put in play; 0 unused"

  Scenario: A usage error exits with 2
    Given an empty project folder
    When the designer runs "exercise validate no-such-file.yaml"
    Then the command fails with exit code 2 saying "no such file"
