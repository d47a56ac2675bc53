Feature: Material written for other courses fits the format
  Course designers convert exercises other teams wrote: an HSEEP situation manual with four
  modules whose scenario time jumps (0600, 1000, 1400, 1800 at +0:00, +0:40, +1:25, +2:10 of
  play), a read-ahead sent before STARTEX, discussion questions answered in plenary and rated
  by evaluators, decisions a team takes once for several roles, and messages for the players
  only. Each shape validates under --strict, previews and simulates.

  Background:
    Given an empty project folder
    And the course folder "ridge" holds the roles and rubric of the Ridge tabletop
    And the designer writes "ridge/scenarios/ridge-modules.yaml":
      """
      format: exercise-scenario/1
      id: ridge-modules
      title: "Ridge wildfire, four modules"
      summary: "An EOC tabletop converted from an HSEEP situation manual."
      rubric: eoc-capabilities
      roles: [eoc_director, logistics, pio, simulator]
      meta:
        source: "Converted from a situation manual with four modules"
        licence: "CC0-1.0"
      clock: {start: "06:00", speed: 10, duration: "2h45m"}
      variables:
        backlog: {initial: 3, min: 0, max: 10, label: "ICS-213RR backlog", better: lower}
      phases:
        prevent:
          brief: "The fire grew overnight."
          modules:
            - {id: M1, title: "Activation and check-in", at: "+0m", clock: "06:00"}
            - {id: M2, title: "Field reports and resources", at: "+40m", clock: "10:00"}
            - {id: M3, title: "Situation report and public information", at: "+1h25m", clock: "14:00"}
            - {id: M4, title: "Second operational period", at: "+2h10m", clock: "18:00",
               brief: "The first operational period ends."}
          next: [{to: react, when: "elapsed_in_phase >= '2h40m'"}]
        react:
          next: [{to: rebuild, when: "elapsed_in_phase >= '1m'"}]
        rebuild: {}
      injects:
        - id: RA-1
          before_startex: "1d"
          to: players
          channel: email
          title: "Read-ahead: the situation manual and your position's job aid"
          body: "Read the manual before the session; bring questions to the briefing."
        - id: "1.1"
          phase: prevent
          module: M1
          at: "+5m"
          to: players
          from: "Controller"
          channel: meeting
          title: "Report to the EOC: check in and take your position"
          expect: [OC-2]
        - id: M1-DQ
          phase: prevent
          module: M1
          at: "+30m"
          plenary: true
          to: players
          channel: meeting
          title: "Module 1 discussion"
          body: |
            1. Who confirms that every position is staffed?
            2. Where do the initial objectives live?
          expect: [OC-1, OC-2]
          respond: {free_text: true, due: "10m"}
        - id: "2.2"
          phase: prevent
          module: M2
          at: "+10m"
          to: [eoc_director, logistics]
          from: "Shelter manager (simulator)"
          channel: phone
          title: "The shelter needs a generator within four hours"
          expect: [LOG-1]
          respond:
            due: "15m"
            team: true
            prompt: "Decide together: what do you do?"
            options:
              - {id: A, text: "Submit an ICS-213RR and track it", effects: {backlog: -2}, triggers: ["2.4"]}
              - {id: B, text: "Ask the shelter to call the vendor", effects: {backlog: 2}}
        - id: "2.4"
          phase: prevent
          to: [logistics]
          from: "Harbor County OES (simulator)"
          channel: phone
          title: "Two water tenders in three hours under mutual aid"
        - id: "3.2"
          phase: prevent
          module: M3
          at: "+10m"
          to: [pio]
          from: "Valley Courier (simulator)"
          channel: phone
          title: "Is Ridge Road closed?"
          expect: [PI-1]
          respond: {free_text: true, due: "15m"}
        - id: "4.1"
          phase: prevent
          module: M4
          at: "+0m"
          to: players
          channel: meeting
          title: "Record the second operational period"
          expect: [OC-1]
      """

  Scenario: The converted scenario validates under --strict
    When the designer runs "exercise validate --strict --content ridge ridge/scenarios/ridge-modules.yaml"
    Then the command succeeds

  Scenario: The preview shows the modules' time jumps, the read-ahead and the team decision
    When the designer runs "exercise preview ridge-modules --content ridge --format md -o preview.md"
    Then the command succeeds
    And the file "preview.md" says "### before STARTEX: read-aheads"
    And the file "preview.md" says "| D-1 06:00 | RA-1 to eoc\_director, logistics, pio: Read-ahead"
    And the file "preview.md" says "| 10:00 | module M2 begins: Field reports and resources | clock to 10:00 |"
    And the file "preview.md" says "| 14:10 | 3.2 to pio: Is Ridge Road closed? | at +10m into module M3 |"
    And the file "preview.md" says "| 18:00 | module M4 begins: Second operational period | clock to 18:00 |"
    And the file "preview.md" says "2.4: option A of 2.2 (eoc\_director, logistics) triggers it"

  Scenario: Simulated, the modules move the clock and a team decision fires its branch once
    When the designer runs "exercise simulate ridge-modules --content ridge --db run.db --verbose"
    Then the command succeeds
    And the output lists "ended: endex, at 18:35"
    And the output lists "14:00             module    module M3 begins: Situation report"
    And the output lists "logistics chose A on 2.2: Submit an ICS-213RR and track it  (on time, team answer of eoc_director)"
    And in "run.db" inject "2.2" was answered once, for "eoc_director" and "logistics"
    And in "run.db" inject "2.4" was delivered once
    And in "run.db" nothing reached the control cell "simulator"

  Scenario: A plenary discussion is answered once by the room and rated by an evaluator
    When the designer runs "exercise simulate ridge-modules --content ridge --db run.db"
    And in "run.db" the evaluator "Ana" rates "eoc_director" "S" on "OC-2" at "M1-DQ"
    And the designer runs "exercise report --db run.db --format md"
    Then the command succeeds
    And the output lists "Evaluator Ana rated S on M1-DQ"
    And in "run.db" inject "M1-DQ" was answered once, for "eoc_director", "logistics" and "pio"
