-- 009 the outline of templates, and the system templates of each series
--
-- templates.outline: the starting outline a template gives a new section
-- document, in the JSON form of src/model/pqs-outline.h (an array of
-- {"kind", "text", "answer", "criteria", "children"}). The model checks the
-- rules of that form; the column only insists on valid JSON.
--
-- Three system templates ship, one per series (is_system = 1, created by
-- nobody). Their field lists use the field types of the design (text,
-- multiline, number, date, choice, signature). template_hash is the
-- SHA-256 of the canonical form of body, fields and outline that
-- pqs_template_compute_hash() computes; tests/core/test-templates checks
-- that these literals agree with it.
--
-- Their ids are the series (100, 200, 300), out of the way of the ids that
-- tests and older databases use; when an id is taken already the row gets
-- the next free one. A database where seed-demo already made a system
-- template of the same name and series keeps that one and gets no second.
-- seed-demo finds these by series and name and uses them.

ALTER TABLE templates ADD COLUMN outline TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(outline));

INSERT INTO templates (id, name, description, section, template_content, template_hash,
                       fields, outline, is_active, is_system)
SELECT CASE WHEN EXISTS (SELECT 1 FROM templates WHERE id = 100) THEN NULL ELSE 100 END,
       'Fundamentals section',
       'A 100 series section: the theory a trainee studies before the systems, with the questions a qualifier asks about it.',
       100,
       '1XX FUNDAMENTALS

References:

Introduction:

Study the references before starting the line items. Discuss each answer with a qualified watchstander, then ask a qualifier to sign the item.
',
       '7d40efdd486bf9ec67abdb68b44067ca7b8918c15a386eada7a8183ed8a0514e',
       '[
  {
    "key": "references",
    "label": "References",
    "type": "multiline",
    "required": true,
    "help": "Publications the trainee studies, one per line."
  },
  {
    "key": "introduction",
    "label": "Introduction",
    "type": "multiline",
    "required": false,
    "help": "A few sentences on why this fundamental matters."
  },
  {
    "key": "prerequisites",
    "label": "Prerequisites",
    "type": "text",
    "required": false,
    "help": "Sections to complete first, for example 101, 102."
  },
  {
    "key": "estimated_hours",
    "label": "Estimated hours",
    "type": "number",
    "required": false,
    "help": "Study time a trainee needs, in hours."
  }
]',
       '[
  {
    "kind": "text",
    "text": "Answer every line item from the references. The qualifier signs an item when the trainee answers it without notes."
  },
  {
    "kind": "question",
    "text": "Explain the purpose of this fundamental and where it applies aboard ship.",
    "answer": "States the purpose in own words and names the spaces and systems where it applies.",
    "criteria": "Satisfactory when the purpose and at least two applications are stated correctly.",
    "children": [
      {
        "kind": "sub_question",
        "text": "Define the basic terms of this fundamental.",
        "answer": "Defines each term listed in the references.",
        "criteria": "Every term defined correctly without notes."
      },
      {
        "kind": "sub_question",
        "text": "State the safety precautions that apply.",
        "answer": "Lists the precautions from the references and the hazard each one guards against.",
        "criteria": "Every precaution stated; no unsafe practice suggested.",
        "children": [
          {
            "kind": "second_level",
            "text": "The personal protective equipment required.",
            "answer": "Names the protective equipment and when it is worn.",
            "criteria": "The right equipment for each hazard."
          }
        ]
      }
    ]
  },
  {
    "kind": "question",
    "text": "Describe the basic principles involved.",
    "answer": "Explains the principles in a logical order, with a sketch where it helps.",
    "criteria": "Principles explained accurately and completely."
  },
  {
    "kind": "signature",
    "text": "Qualifier''s signature and date"
  }
]',
       1, 1
 WHERE NOT EXISTS (SELECT 1 FROM templates
                    WHERE is_system = 1 AND section = 100 AND name = 'Fundamentals section');

INSERT INTO templates (id, name, description, section, template_content, template_hash,
                       fields, outline, is_active, is_system)
SELECT CASE WHEN EXISTS (SELECT 1 FROM templates WHERE id = 200) THEN NULL ELSE 200 END,
       'System section',
       'A 200 series section: one system, its components, parameters and interfaces.',
       200,
       '2XX SYSTEMS

References:

Components:

Parameters:

Interfaces:

Trace the system in the space as well as on the drawings. A qualifier signs each line item when the trainee can point out and explain it on the equipment.
',
       '157b5a0f3399676b99d94fc5c585a2153d4dd8295ceb561c252e5e05d9d4d93f',
       '[
  {
    "key": "references",
    "label": "References",
    "type": "multiline",
    "required": true,
    "help": "Publications and drawings that describe the system, one per line."
  },
  {
    "key": "components",
    "label": "Components",
    "type": "multiline",
    "required": true,
    "help": "The components the trainee must locate, one per line."
  },
  {
    "key": "parameters",
    "label": "Normal parameters",
    "type": "multiline",
    "required": false,
    "help": "Pressures, temperatures and levels with their normal range."
  },
  {
    "key": "interfaces",
    "label": "Interfaces",
    "type": "text",
    "required": false,
    "help": "Systems this one depends on or supplies."
  },
  {
    "key": "difficulty",
    "label": "Difficulty",
    "type": "choice",
    "required": false,
    "help": "How demanding the section is for a new trainee.",
    "options": [
      "Basic",
      "Intermediate",
      "Advanced"
    ]
  }
]',
       '[
  {
    "kind": "question",
    "text": "State the purpose of the system.",
    "answer": "States what the system supplies or protects and which spaces it serves.",
    "criteria": "Purpose stated correctly in own words."
  },
  {
    "kind": "question",
    "text": "Locate and describe the major components of the system.",
    "answer": "Points out each component listed in the references and states its function.",
    "criteria": "All major components located and their functions stated.",
    "children": [
      {
        "kind": "sub_question",
        "text": "Trace the flow path through the system.",
        "answer": "Traces the flow from the supply to each user, on the drawing and in the space.",
        "criteria": "Flow path traced without error."
      },
      {
        "kind": "sub_question",
        "text": "State the normal operating parameters.",
        "answer": "Gives the normal pressures, temperatures and levels with their units.",
        "criteria": "Values within the ranges of the references.",
        "children": [
          {
            "kind": "second_level",
            "text": "The alarms and their set points.",
            "answer": "Names each alarm and the value at which it sounds.",
            "criteria": "All alarms and set points stated."
          }
        ]
      }
    ]
  },
  {
    "kind": "question",
    "text": "Describe the interfaces with other systems.",
    "answer": "Names the systems that supply or depend on this one and the effect of losing each.",
    "criteria": "Every interface and the effect of its loss stated."
  },
  {
    "kind": "question",
    "text": "Explain the casualty procedures for the system.",
    "answer": "Describes the immediate and supplementary actions for each casualty in the references.",
    "criteria": "Immediate actions stated from memory and in order."
  },
  {
    "kind": "signature",
    "text": "Qualifier''s signature and date"
  }
]',
       1, 1
 WHERE NOT EXISTS (SELECT 1 FROM templates
                    WHERE is_system = 1 AND section = 200 AND name = 'System section');

INSERT INTO templates (id, name, description, section, template_content, template_hash,
                       fields, outline, is_active, is_system)
SELECT CASE WHEN EXISTS (SELECT 1 FROM templates WHERE id = 300) THEN NULL ELSE 300 END,
       'Watchstation section',
       'A 300 series section: the tasks of one watchstation, with a final signature.',
       300,
       '3XX WATCHSTATION

Prerequisites:

Tasks:

Final qualification:

Perform each task under the instruction of a qualified watchstander. Simulate what cannot safely be performed and say so to the qualifier.
',
       'f1ea96769f44797028a618313bfdc63c37e41fad5e313f84c0f0a5d52cfd247b',
       '[
  {
    "key": "prerequisites",
    "label": "Prerequisites",
    "type": "text",
    "required": true,
    "help": "The 100 and 200 series sections to complete first."
  },
  {
    "key": "tasks",
    "label": "Tasks",
    "type": "multiline",
    "required": true,
    "help": "What the trainee performs under instruction, one per line."
  },
  {
    "key": "watches_under_instruction",
    "label": "Watches under instruction",
    "type": "number",
    "required": false,
    "help": "How many watches the trainee stands under instruction."
  },
  {
    "key": "qualification_date",
    "label": "Date qualified",
    "type": "date",
    "required": false,
    "help": "The day the trainee qualified at this watchstation."
  },
  {
    "key": "final_signature",
    "label": "Final signature",
    "type": "signature",
    "required": true,
    "help": "The qualifying officer signs here when the trainee qualifies."
  }
]',
       '[
  {
    "kind": "text",
    "text": "Complete the 100 and 200 series sections listed as prerequisites before starting this watchstation."
  },
  {
    "kind": "question",
    "text": "Relieve the watch at this watchstation.",
    "answer": "Reviews the logs, outstanding work, equipment status and standing orders, then relieves the watch.",
    "criteria": "Relief complete with nothing missed.",
    "children": [
      {
        "kind": "sub_question",
        "text": "Review the logs and round sheets.",
        "answer": "Checks the readings against the normal parameters and asks about anything abnormal.",
        "criteria": "Every abnormal reading noticed and explained."
      },
      {
        "kind": "sub_question",
        "text": "Report the relief to the watch officer.",
        "answer": "Reports with the proper phraseology.",
        "criteria": "Report correct and complete."
      }
    ]
  },
  {
    "kind": "question",
    "text": "Perform the normal operations of the watchstation under instruction.",
    "answer": "Starts, operates and secures the equipment by the operating procedures.",
    "criteria": "Procedures followed step by step; safe throughout."
  },
  {
    "kind": "question",
    "text": "Respond to casualties at the watchstation.",
    "answer": "Takes the immediate actions, reports, and carries out the supplementary actions.",
    "criteria": "Immediate actions correct, in order and within the time allowed.",
    "children": [
      {
        "kind": "sub_question",
        "text": "State the immediate actions for the casualties of this watchstation.",
        "answer": "States the immediate actions of each casualty procedure from memory.",
        "criteria": "All immediate actions stated in order.",
        "children": [
          {
            "kind": "second_level",
            "text": "Loss of lubricating oil pressure.",
            "answer": "Stops the equipment, reports, and starts the standby unit.",
            "criteria": "Actions in the right order."
          },
          {
            "kind": "second_level",
            "text": "Fire in the space.",
            "answer": "Sounds the alarm, reports the fire, and takes the immediate actions.",
            "criteria": "Alarm and report given at once; actions correct."
          }
        ]
      }
    ]
  },
  {
    "kind": "text",
    "text": "Final qualification: the qualifying officer signs below when the trainee has stood the required watches under instruction."
  },
  {
    "kind": "signature",
    "text": "Qualifying officer''s signature, rank and date"
  }
]',
       1, 1
 WHERE NOT EXISTS (SELECT 1 FROM templates
                    WHERE is_system = 1 AND section = 300 AND name = 'Watchstation section');
