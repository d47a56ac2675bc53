Feature: Planners bring their MSEL spreadsheets in, take them back out, and type up paper EEGs
  Exercise planners keep the Master Scenario Events List in a spreadsheet and evaluators still
  fill in paper Exercise Evaluation Guides. The designer imports the sheet as it comes, the
  planner gets it back as a sheet, and the evaluator's forms become observations of the session.

  Scenario: An HSEEP MSEL becomes a scenario that validates and runs
    Given an empty project folder
    And a planner's sheet "kallen.csv":
      """
      Inject No.,Scenario Time,Phase,Delivery Method,Originator,Recipient(s),Subject,Message,Expected Action
      1,Day 1 (0600),Prevent,Email printout,OCHA Kallen,"UNMISS, OCHA",Leaflets,Leaflets in Bora market,Recognise hate speech
      2,D+1 06:00,React,Phone call,Governor,Government,A call,The governor calls,
      3,Day 1 07:29 PM,prevent,Carrier pigeon,Radio Bora,All,Broadcast,Hate radio,
      4,???,,,,,???,,
      """
    When the designer runs "exercise msel import kallen.csv -o kallen.yaml"
    Then the command succeeds
    And the output lists "scenario of 3 injects"
    And the output lists "exercise validate: 0 errors"
    And the warnings name "kallen.csv, row 4, column D (Delivery Method): warning: delivery method 'Carrier pigeon' is unknown"
    And the warnings name "kallen.csv, row 5: warning: placeholder row ('???'); skipped"
    When the designer runs "exercise simulate kallen.yaml --db kallen.db"
    Then the command succeeds

  Scenario: A time the importer cannot read is named by file, row and column, and nothing is written
    Given an empty project folder
    And a planner's sheet "late.csv":
      """
      Time,To,Subject
      09:30,UN,Leaflets
      half past nine,UN,Radio
      """
    When the designer runs "exercise msel import late.csv -o late.yaml"
    Then the command fails with exit code 1 saying "late.csv, row 3, column A (Time): error: cannot read 'half past nine' as a time"
    And there is no file "late.yaml"

  Scenario: An OpenBAS chronogram without a header row imports through a column map
    Given an empty project folder
    When the designer runs "exercise msel import {external}/msel/openbas-test_file_5.xlsx --columns B=channel,B=title,C=time,D=to,E=subject,F=message -o chrono.yaml" on the third-party sheets
    Then the command succeeds
    And the injects of "chrono.yaml" come at "+0m, +1d, +2d1h55m, +4d"

  Scenario: A shipped scenario goes out to a spreadsheet and comes back with every inject field
    Given an empty project folder
    When the designer runs "exercise msel export kallen-early-warning -o kallen.xlsx"
    Then the command succeeds
    When the designer imports "kallen.xlsx" into the shipped scenario "kallen-early-warning" as "back.yaml"
    Then the command succeeds
    And the injects of "back.yaml" are those of "kallen-early-warning", field by field

  Scenario: An evaluator's paper EEG becomes observations of the session, all rows or none
    Given an empty project folder
    And a session of the default scenario played to its debrief in "course.db"
    And a planner's sheet "eeg.csv":
      """
      Critical Task,Organization,Target Rating,Observation Notes
      UND-2,UN Mission,S,Named the leaflets as an indicator
      PRO-2,Force,P,Blocked the bridge with the police
      """
    When the designer runs "exercise observations import eeg.csv --db course.db --evaluator Okafor"
    Then the command succeeds
    And the session in "course.db" holds 2 observations by "Okafor"
    Given a planner's sheet "bad.csv":
      """
      Criterion,Role,Rating
      UND-2,UN,S
      UND-99,UN,Q
      """
    When the designer runs "exercise observations import bad.csv --db course.db --evaluator Ruiz"
    Then the command fails with exit code 1 saying "bad.csv, row 3, column A (Criterion): error: unknown criterion 'UND-99'"
    And the session in "course.db" holds 0 observations by "Ruiz"
