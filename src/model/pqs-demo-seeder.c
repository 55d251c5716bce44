/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "pqs-audit.h"
#include "pqs-demo-seeder.h"
#include "pqs-document-private.h"
#include "pqs-migrator.h"

/**
 * PqsDemoSeeder:
 *
 * Fills a database with realistic, reproducible demo data: two dozen users
 * of every role, the system templates of each series, standards, and
 * section documents with their outlines, reviews, collaborators, change
 * history and audit trail, spread over every workflow state.
 *
 * Everything but the password hash follows from the seed and the reference
 * time, so the same seed gives the same database. All rows are written in
 * one transaction with statements prepared once: a failed or cancelled run
 * leaves nothing behind, and 100,000 documents take seconds.
 *
 * Demo users: every account gets the argon2id hash (crypto_pwhash_str) of
 * one password, computed once. Unless the caller gives a password, a random
 * one is generated and reported once (pqs_demo_seeder_get_password()), so
 * a demo database never opens with a password printed in the source code.
 * Demo accounts are not flagged for a forced password change, so that they
 * can act at once, in the app and as `pqs-admin … --as USER`: a demo
 * database is for trying PQS Desk and for benchmarks, never for real work.
 *
 * The audit trail (user_activities) is a SHA-256 hash chain in id order,
 * computed by pqs_audit_row_hash() (pqs-audit.c). The canonical form of a
 * row is the concatenation, for each column in this order:
 *
 *   id, user_id, activity_type, resource_type, resource_id, details,
 *   ip_address, user_agent, created_at, prev_hash
 *
 * of "-" for NULL, else "<byte length>:<bytes>" with integers in decimal
 * (a value always starts with a digit, so NULL and "" differ). row_hash is
 * the lower-case hex SHA-256 of that string; prev_hash is the row_hash of
 * the row before (NULL for the very first row). The seeder continues the
 * chain after the rows a database already holds, and writes audit rows in
 * time order, so created_at never goes backwards along the chain.
 */

#define HOUR_MS  ((gint64) 3600 * 1000)
#define DAY_MS   (24 * HOUR_MS)

#define DOCUMENTS_PER_STANDARD 150
#define PROGRESS_EVERY         1000

struct _PqsDemoSeeder
{
  GObject                    parent_instance;

  PqsStore                  *store;
  guint                      documents;
  guint                      seed;
  gboolean                   force;
  gint64                     reference_time;
  char                      *password;
  gboolean                   password_generated;

  PqsDemoSeederProgressFunc  progress_func;
  gpointer                   progress_data;
  GDestroyNotify             progress_destroy;

  /* The results of the last run. */
  guint                      n_users_by_role[4];
  guint                      n_templates;
  guint                      n_standards;
  guint                      n_documents_by_status[4];
  guint64                    n_items;
  guint64                    n_changes;
  guint64                    n_reviews;
  guint64                    n_activities;
  GArray                    *rare_ids;
};

G_DEFINE_FINAL_TYPE (PqsDemoSeeder, pqs_demo_seeder, G_TYPE_OBJECT)

G_DEFINE_QUARK (pqs-demo-seeder-error-quark, pqs_demo_seeder_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DOCUMENTS,
  PROP_SEED,
  PROP_FORCE,
  PROP_REFERENCE_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Word lists ------------------------------------------------------------- */

typedef enum
{
  ROLE_VISITOR,
  ROLE_USER,
  ROLE_SUPERVISOR,
  ROLE_ADMIN,
} Role;

static const char * const role_names[] = { "visitor", "user", "supervisor", "admin" };

typedef enum
{
  STATUS_DRAFT,
  STATUS_IN_REVIEW,
  STATUS_APPROVED,
  STATUS_ARCHIVED,
} Status;

static const char * const status_names[] = { "draft", "in_review", "approved", "archived" };

typedef struct
{
  const char *first;
  const char *last;
  const char *rank;     /* NULL for a civilian */
  Role        role;
  gboolean    active;
} DemoPerson;

static const DemoPerson people[] = {
  { "Dana", "Whitfield", "CDR", ROLE_ADMIN, TRUE },
  { "Marcus", "Okafor", "LT", ROLE_ADMIN, TRUE },
  { "Elena", "Vasquez", "CWO3", ROLE_SUPERVISOR, TRUE },
  { "Robert", "Chen", "MMCS", ROLE_SUPERVISOR, TRUE },
  { "Aisha", "Grant", "LTJG", ROLE_SUPERVISOR, TRUE },
  { "Tomas", "Novak", "ETC", ROLE_SUPERVISOR, TRUE },
  { "Grace", "Holloway", "DCC", ROLE_SUPERVISOR, TRUE },
  { "Kevin", "Brooks", "MM1", ROLE_USER, TRUE },
  { "Priya", "Raman", "EM2", ROLE_USER, TRUE },
  { "Luis", "Ortega", "OS2", ROLE_USER, TRUE },
  { "Hannah", "Schultz", "DC3", ROLE_USER, TRUE },
  { "Jamal", "Carter", "GSM2", ROLE_USER, TRUE },
  { "Mei", "Tanaka", "ET1", ROLE_USER, TRUE },
  { "Owen", "Fitzgerald", "FC2", ROLE_USER, TRUE },
  { "Sofia", "Marino", "BM2", ROLE_USER, TRUE },
  { "Daniel", "Reyes", "QM3", ROLE_USER, TRUE },
  { "Chloe", "Dubois", "IC2", ROLE_USER, TRUE },
  { "Ethan", "Park", "HT1", ROLE_USER, TRUE },
  { "Nadia", "Petrova", "MM2", ROLE_USER, TRUE },
  { "Samuel", "Adeyemi", "ENS", ROLE_VISITOR, TRUE },
  { "Lily", "Harrington", "MIDN", ROLE_VISITOR, TRUE },
  { "Victor", "Lindqvist", "FN", ROLE_VISITOR, TRUE },
  { "Rosa", "Delgado", NULL, ROLE_VISITOR, TRUE },
  { "Arthur", "Benson", "SN", ROLE_VISITOR, FALSE },
};

typedef struct
{
  const char *key;         /* how documents find their template */
  int         section;
  const char *name;
  const char *description;
  const char *content;
  const char *fields;      /* JSON: [{key, label, type, required, help}] */
} DemoTemplate;

#define FIELD(key, label, type, required, help) \
  "{\"key\":\"" key "\",\"label\":\"" label "\",\"type\":\"" type "\",\"required\":" \
  required ",\"help\":\"" help "\"}"

static const DemoTemplate templates[] = {
  { "precautions", 100, "Precautions (101)",
    "The safety precautions section every standard opens with.",
    "101 PRECAUTIONS\n\nReferences:\n\nThe trainee states the safety precautions that apply "
    "to this qualification and where they are found.\n",
    "[" FIELD ("references", "References", "multiline", "true",
               "Publications that contain the precautions, one per line.") ","
        FIELD ("hazards", "Hazards", "multiline", "true",
               "The hazards a trainee meets at this qualification.") ","
        FIELD ("estimated_hours", "Estimated hours", "number", "false",
               "Study time a trainee needs, in hours.") "]" },
  { "fundamentals", 100, "Fundamentals section",
    "A 100 series section: the theory a trainee studies before the systems.",
    "1XX FUNDAMENTALS\n\nReferences:\n\nIntroduction:\n\nQuestions:\n",
    "[" FIELD ("references", "References", "multiline", "true",
               "Publications the trainee studies, one per line.") ","
        FIELD ("introduction", "Introduction", "multiline", "false",
               "A few sentences on why this fundamental matters.") ","
        FIELD ("prerequisites", "Prerequisites", "text", "false",
               "Sections to complete first, for example 101, 102.") ","
        FIELD ("estimated_hours", "Estimated hours", "number", "false",
               "Study time a trainee needs, in hours.") "]" },
  { "system", 200, "System section",
    "A 200 series section: one system, its components, parameters and interfaces.",
    "2XX SYSTEMS\n\nReferences:\n\nComponents:\n\nParameters:\n\nInterfaces:\n\nQuestions:\n",
    "[" FIELD ("references", "References", "multiline", "true",
               "Publications that describe the system, one per line.") ","
        FIELD ("components", "Components", "multiline", "true",
               "The components the trainee must locate, one per line.") ","
        FIELD ("parameters", "Normal parameters", "multiline", "false",
               "Pressures, temperatures and levels with their normal range.") ","
        FIELD ("interfaces", "Interfaces", "text", "false",
               "Systems this one depends on or supplies.") "]" },
  { "component", 200, "Component section",
    "A 200 series section about a single component of a larger system.",
    "2XX COMPONENT\n\nReferences:\n\nDescription:\n\nQuestions:\n",
    "[" FIELD ("references", "References", "multiline", "true",
               "Publications that describe the component, one per line.") ","
        FIELD ("parent_system", "Parent system", "text", "true",
               "The system section this component belongs to.") ","
        FIELD ("maintenance", "Planned maintenance", "text", "false",
               "The PMS cards that cover the component.") "]" },
  { "watchstation", 300, "Watchstation section",
    "A 300 series section: the tasks of one watchstation, with a final signature.",
    "3XX WATCHSTATION\n\nPrerequisites:\n\nTasks:\n\nFinal qualification:\n",
    "[" FIELD ("prerequisites", "Prerequisites", "text", "true",
               "The 100 and 200 series sections to complete first.") ","
        FIELD ("tasks", "Tasks", "multiline", "true",
               "What the trainee performs under instruction, one per line.") ","
        FIELD ("watches_under_instruction", "Watches under instruction", "number", "false",
               "How many watches the trainee stands under instruction.") ","
        FIELD ("final_signature", "Final signature", "signature", "true",
               "The qualifying officer signs here when the trainee qualifies.") "]" },
  { "board", 300, "Final qualification board",
    "A 300 series section that ends in an oral board.",
    "3XX FINAL QUALIFICATION\n\nBoard members:\n\nScenarios:\n",
    "[" FIELD ("board_members", "Board members", "multiline", "true",
               "Ranks or billets that sit on the board.") ","
        FIELD ("scenarios", "Scenarios", "multiline", "true",
               "Casualties the board may ask the trainee to handle.") "]" },
};

enum {
  TEMPLATE_PRECAUTIONS,
  TEMPLATE_FUNDAMENTALS,
  TEMPLATE_SYSTEM,
  TEMPLATE_COMPONENT,
  TEMPLATE_WATCHSTATION,
  TEMPLATE_BOARD,
};

static const char * const standard_titles[] = {
  "Main Propulsion Assistant", "Radar Operator", "Damage Control Petty Officer",
  "Engineering Officer of the Watch", "Officer of the Deck (Underway)",
  "Electrical Safety Petty Officer", "Gas Free Engineer", "Basic Damage Control",
  "Gas Turbine Systems Technician", "Helmsman", "Combat Information Center Watch Officer",
  "Small Boat Coxswain", "Aviation Fuels Operator", "Repair Party Leader", "Sonar Operator",
  "Quartermaster of the Watch", "Tag-Out Authorizing Officer", "Work Center Supervisor",
  "Hazardous Material Coordinator", "Electronic Warfare Operator", "Oil King",
  "Auxiliary Systems Watch", "Sounding and Security Watch", "Boatswain's Mate of the Watch",
  "Surface Search Radar Technician", "Fire Control Technician", "Lookout",
  "Electrical Operator", "Main Engine Operator", "Throttleman", "Repair Locker Leader",
  "Interior Communications Watch", "Refrigeration Plant Operator", "Diesel Generator Operator",
  "Navigation Watch", "Force Protection Watch",
};

static const char * const owning_units[] = {
  "USS Ardent (DDG 991)", "USS Resolute (LHD 91)", "USS Vigilant (FFG 92)",
  "USS Steadfast (LPD 93)", "USS Intrepid Demo (CG 94)", "Afloat Training Group Demo",
  "Surface Warfare Training Center (Demo)", "Naval Station Demo Port Operations",
};

static const char * const ratings[] = {
  "engineering", "operations", "deck", "combat systems", "damage control", "navigation",
};

static const char * const topics_100[] = {
  "Thermodynamics", "Electrical Theory", "Hydraulic Principles", "Tag-Out Program",
  "Damage Control Organization", "Hazardous Material Handling", "Gas Free Engineering",
  "Electrical Safety", "Heat Stress", "Navigation Rules", "Radar Principles",
  "Communications Security", "Fire Fighting", "Shipboard Organization", "Lubrication",
  "Pumps and Valves", "Piping Systems", "Refrigeration Principles", "Diesel Engine Theory",
  "Gas Turbine Theory", "Water Chemistry", "Corrosion Control", "Rigging and Deck Seamanship",
  "Watchstanding Principles", "Casualty Control", "Sound-Powered Telephones",
};

static const char * const aspects_100[] = {
  "", ": Terms and Definitions", ": Safety", ": Theory", ": References and Publications",
};

static const char * const topics_200[] = {
  "Main Lube Oil System", "Fuel Oil Service System", "Firemain System",
  "Low Pressure Air System", "Chilled Water System", "Main Feed System",
  "Steering Gear", "Ship's Service Diesel Generator", "AN/SPS-67 Surface Search Radar",
  "Degaussing System", "Potable Water System", "Sewage (CHT) System", "AFFF System",
  "Halon Fire Suppression", "Bleed Air System", "Anchor Windlass",
  "Electrical Distribution System", "Interior Communications System",
  "High Pressure Air System", "Fuel Transfer System", "Seawater Cooling System",
  "Controllable Pitch Propeller", "Reduction Gear", "Ballast System", "Countermeasure Washdown",
};

static const char * const aspects_200[] = {
  "", ": Components", ": Operation", ": Casualty Control", ": Maintenance", ": Safety Devices",
};

static const char * const topics_300[] = {
  "Engineering Officer of the Watch", "Throttleman", "Main Engine Operator",
  "Sounding and Security Watch", "Radar Operator", "Lookout", "Helmsman", "Lee Helmsman",
  "Electrical Operator", "Oil King", "Repair Locker Leader", "Scene Leader", "Nozzleman",
  "Plotter", "Boat Coxswain", "Phone Talker", "Auxiliary Watch", "Fuel Oil Transfer Supervisor",
  "Boatswain's Mate of the Watch", "Quartermaster of the Watch", "Damage Control Central Watch",
  "Combat Information Center Watch",
};

static const char * const aspects_300[] = {
  "", " (Underway)", " (In Port)", " (Under Instruction)", " (Casualty Drills)",
};

/* Placeholders in the sentence patterns below, one letter each. */
static const char * const components[] = {
  "main feed pump", "lube oil purifier", "fire main", "sea chest", "reduction gear",
  "air compressor", "main switchboard", "radar transmitter", "fuel oil service tank",
  "bilge eductor", "air flask", "emergency diesel generator", "steering gear",
  "chill water plant", "AFFF station", "fire pump", "distilling unit", "boat davit",
  "gyrocompass", "sound-powered telephone circuit",
};
static const char * const actions[] = {
  "inspects", "verifies", "isolates", "lines up", "secures", "starts", "tags out",
  "monitors", "logs", "checks",
};
static const char * const conditions[] = {
  "before light-off", "during general quarters", "after a casualty",
  "at the start of each watch", "when pressure drops below normal",
  "during restricted maneuvering", "during cold iron", "while underway", "before getting underway",
};
static const char * const stations[] = {
  "the Engineering Officer of the Watch", "the Officer of the Deck",
  "the Combat Information Center", "Damage Control Central", "the Central Control Station",
};
static const char * const readings[] = {
  "pressure", "temperature", "vibration", "noise", "level", "flow",
};
static const char * const references[] = {
  "EOSS", "NSTM", "PMS card", "tag-out log", "CSOSS", "ship's instruction", "technical manual",
};
static const char * const ppe[] = {
  "hearing protection", "safety goggles", "electrical safety gloves", "a life jacket",
  "a hard hat", "a breathing apparatus",
};
static const char * const qualified_roles[] = {
  "Engineering Officer of the Watch", "Work Center Supervisor", "Leading Petty Officer",
  "Division Officer", "Repair Locker Leader",
};
static const char * const counts[] = { "two", "three", "four", "five" };
static const char * const hazards[] = {
  "high-pressure steam", "energized equipment", "toxic gases", "rotating machinery",
  "hot surfaces", "fuel vapours", "high-pressure air",
};

static const char * const body_patterns[] = {
  "The watchstander {a} the {c} {w}.",
  "Report any abnormal {r} of the {c} to {s} at once.",
  "Refer to the {f} for the procedure that applies to the {c}.",
  "Qualification requires a walkthrough of the {c} with a qualified {o}.",
  "Personnel wear {p} when working near the {c}.",
  "Beware of {h} near the {c}; the {o} approves any work before it starts.",
  "The {c} is inspected {w} and the readings are logged.",
  "Know the location of the {c} and of the valves that isolate it.",
};

static const char * const precaution_patterns[] = {
  "Never work on {h} without an approved tag-out.",
  "Wear {p} in every space where {h} is present.",
  "Report every injury, however small, to {s}.",
  "Stop work and notify the {o} when {h} is found.",
  "Observe the safety precautions of the {f} at all times.",
  "The watchstander {a} the {c} only with permission from {s}.",
};

static const char * const question_patterns[] = {
  "Describe the purpose of the {c}.",
  "State the safety precautions for working on the {c}.",
  "Explain how the {c} is lined up {w}.",
  "Locate and identify the {c} and its controls.",
  "Discuss the hazards of {h} at this watchstation.",
  "State the reporting procedure to {s} for a casualty to the {c}.",
};
static const char * const sub_question_patterns[] = {
  "What is the normal {r} of the {c}?",
  "Which publication covers this procedure?",
  "Who must be notified {w}?",
  "What protective equipment is required?",
  "Name the {n} indications of a failing {c}.",
};
static const char * const second_level_patterns[] = {
  "What action is taken if the {r} is abnormal?",
  "Where is the reading recorded?",
  "Who may authorise the tag-out?",
};
static const char * const answer_patterns[] = {
  "Per the {f}, the watchstander {a} the {c} and reports to {s}.",
  "Normal {r} is within the band marked on the gauge; anything else is reported to {s}.",
  "The {o} is notified first, then {s}.",
  "Wear {p} and keep clear of {h}.",
  "The {f}, section on the {c}.",
};
static const char * const criteria_patterns[] = {
  "Must state all key points without prompting.",
  "Must name at least {n} of the points in the answer.",
  "Must demonstrate on the {c}, not just describe it.",
  "Must cite the {f}.",
  "Must answer correctly; the qualifier may prompt once.",
};
static const char * const change_comments[] = {
  "Question 2 needs the reference from the {f}.",
  "The criteria are too vague; state what the trainee must show.",
  "Add the precaution about {h}.",
  "The answer to the first question does not match the {f}.",
  "Split the last question into sub-questions.",
};
static const char * const plain_comments[] = {
  "Check the numbering against the standard's outline.",
  "Consider adding a walkthrough of the {c}.",
  "The {f} was revised last quarter; confirm the answers still hold.",
};

/* Timeline of a document and kinds of audit events. */
typedef enum
{
  EVENT_USER_CREATE,
  EVENT_LOGIN,
  EVENT_STANDARD_CREATE,
  EVENT_DOC_CREATE,
  EVENT_DOC_SUBMIT,
  EVENT_DOC_COMMENT,
  EVENT_DOC_REQUEST_CHANGES,
  EVENT_DOC_APPROVE,
  EVENT_DOC_REVISE,
  EVENT_DOC_ARCHIVE,
  EVENT_SEED,
} EventKind;

static const struct
{
  const char *activity_type;
  const char *from;   /* workflow transition, or NULL */
  const char *to;
} event_info[] = {
  [EVENT_USER_CREATE] = { "user.create", NULL, NULL },
  [EVENT_LOGIN] = { "auth.login", NULL, NULL },
  [EVENT_STANDARD_CREATE] = { "standard.create", NULL, NULL },
  [EVENT_DOC_CREATE] = { "document.create", NULL, NULL },
  [EVENT_DOC_SUBMIT] = { "document.submit", "draft", "in_review" },
  [EVENT_DOC_COMMENT] = { "document.comment", NULL, NULL },
  [EVENT_DOC_REQUEST_CHANGES] = { "document.request_changes", "in_review", "draft" },
  [EVENT_DOC_APPROVE] = { "document.approve", "in_review", "approved" },
  [EVENT_DOC_REVISE] = { "document.update", "approved", "draft" },
  [EVENT_DOC_ARCHIVE] = { "document.archive", "approved", "archived" },
  [EVENT_SEED] = { "admin.seed_demo", NULL, NULL },
};

/* An audit row to be, kept small: 300,000 of them wait to be sorted by time. */
typedef struct
{
  gint64  time_ms;
  gint64  user_id;       /* 0: no user (the seeder itself) */
  gint64  resource_id;
  gint64  standard_id;
  guint16 number;        /* document number, or the role of a new user */
  guint8  kind;
  guint8  version;
} Event;

typedef struct
{
  EventKind kind;
  gint64    user_id;
  gint64    time_ms;
  int       version;
} Step;

#define MAX_STEPS 12

typedef struct
{
  gint64 id;
  Role   role;
} DemoUser;

enum {
  STMT_INSERT_USER,
  STMT_FIND_USER,
  STMT_FIND_TEMPLATE,
  STMT_INSERT_TEMPLATE,
  STMT_INSERT_STANDARD,
  STMT_INSERT_DOCUMENT,
  STMT_INSERT_ITEM,
  STMT_INSERT_CHANGE,
  STMT_INSERT_REVIEW,
  STMT_INSERT_COLLABORATOR,
  STMT_INSERT_ACTIVITY,
  STMT_LAST_ACTIVITY,
  N_STMTS
};

static const char * const statement_sql[N_STMTS] = {
  [STMT_INSERT_USER] =
    "INSERT OR IGNORE INTO users (username, email, password_hash, full_name, rank, role, "
    "is_active, created_at, updated_at, last_login_at, login_count, password_reset_required) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, 0)",
  [STMT_FIND_USER] =
    "SELECT id, role FROM users WHERE username = ?1",
  [STMT_FIND_TEMPLATE] =
    "SELECT id FROM templates WHERE is_system = 1 AND section = ?1 AND name = ?2 "
    "ORDER BY id LIMIT 1",
  [STMT_INSERT_TEMPLATE] =
    "INSERT INTO templates (name, description, section, template_content, template_hash, "
    "fields, is_active, is_system, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 1, ?7, ?7)",
  [STMT_INSERT_STANDARD] =
    "INSERT INTO standards (title, owning_unit, classification, applicability, revision, "
    "status, created_by, updated_by, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?8)",
  [STMT_INSERT_DOCUMENT] =
    "INSERT INTO documents (standard_id, title, section, document_number, template_id, "
    "content, content_hash, metadata, status, version, created_by, updated_by, reviewed_by, "
    "approved_by, created_at, updated_at, reviewed_at, approved_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
  [STMT_INSERT_ITEM] =
    "INSERT INTO document_items (document_id, parent_id, position, kind, text, answer, "
    "criteria) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  [STMT_INSERT_CHANGE] =
    "INSERT INTO document_changes (document_id, user_id, change_type, old_content, "
    "new_content, change_summary, version, created_at, action, status, snapshot) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
  [STMT_INSERT_REVIEW] =
    "INSERT INTO document_reviews (document_id, reviewer_id, decision, comment, "
    "document_version, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_INSERT_COLLABORATOR] =
    "INSERT INTO document_collaborators (document_id, user_id, role, permissions, "
    "invited_by, invited_at, joined_at, is_active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)",
  [STMT_INSERT_ACTIVITY] =
    "INSERT INTO user_activities (id, user_id, activity_type, resource_type, resource_id, "
    "details, ip_address, user_agent, created_at, prev_hash, row_hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9, ?10)",
  [STMT_LAST_ACTIVITY] =
    "SELECT max(coalesce((SELECT max(id) FROM user_activities), 0), "
    "           coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'user_activities'), 0)), "
    "       (SELECT row_hash FROM user_activities ORDER BY id DESC LIMIT 1)",
};

#define USER_AGENT "PQS Desk " PACKAGE_VERSION

/* The state of one run. */
typedef struct
{
  PqsDemoSeeder *self;
  sqlite3       *db;
  GRand         *rand;
  GCancellable  *cancellable;
  gint64         now_ms;
  char          *password_hash;
  sqlite3_stmt  *stmts[N_STMTS];

  GArray        *users;         /* DemoUser */
  GArray        *authors;       /* gint64: users who may write documents */
  GArray        *reviewers;     /* gint64: supervisors and admins */
  GArray        *visitors;      /* gint64 */
  gint64         template_ids[G_N_ELEMENTS (templates)];
  GArray        *events;        /* Event */
  guint          documents_done;
  gint64         started;

  GChecksum     *checksum;
  GString       *content;
  GString       *text;
  GString       *answer;
  GString       *criteria;
  GString       *scratch;
  GPtrArray     *outline;       /* PqsOutlineItem: the document's, for its snapshots */
} Run;

static void
run_free (Run *run)
{
  g_clear_pointer (&run->rand, g_rand_free);
  g_clear_pointer (&run->password_hash, g_free);
  g_clear_pointer (&run->users, g_array_unref);
  g_clear_pointer (&run->authors, g_array_unref);
  g_clear_pointer (&run->reviewers, g_array_unref);
  g_clear_pointer (&run->visitors, g_array_unref);
  g_clear_pointer (&run->events, g_array_unref);
  g_clear_pointer (&run->checksum, g_checksum_free);
  if (run->content != NULL)
    g_string_free (run->content, TRUE);
  if (run->text != NULL)
    g_string_free (run->text, TRUE);
  if (run->answer != NULL)
    g_string_free (run->answer, TRUE);
  if (run->criteria != NULL)
    g_string_free (run->criteria, TRUE);
  if (run->scratch != NULL)
    g_string_free (run->scratch, TRUE);
  g_clear_pointer (&run->outline, g_ptr_array_unref);
  g_free (run);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* Helpers ---------------------------------------------------------------- */

#define PICK(run, list) ((list)[g_rand_int_range ((run)->rand, 0, G_N_ELEMENTS (list))])

static gboolean
chance (Run    *run,
        double  probability)
{
  return g_rand_double (run->rand) < probability;
}

static gint64
rand_ms (Run    *run,
         gint64  low,
         gint64  high)
{
  g_assert (low < high);
  return low + (gint64) (g_rand_double (run->rand) * (double) (high - low));
}

static gint64
pick_id (Run    *run,
         GArray *ids)
{
  g_assert (ids->len > 0);
  return g_array_index (ids, gint64, g_rand_int_range (run->rand, 0, ids->len));
}

/* Someone from @ids who is not @not_id (the lists have several people). */
static gint64
pick_other (Run    *run,
            GArray *ids,
            gint64  not_id)
{
  gint64 id;

  if (ids->len == 1)
    return g_array_index (ids, gint64, 0);

  do
    id = pick_id (run, ids);
  while (id == not_id);

  return id;
}

/* ISO 8601 UTC with milliseconds, as the schema's defaults write it. Done by
 * hand (days to civil date) because it runs a million times. */
static void
format_time (gint64 ms,
             char   out[32])
{
  gint64 seconds = ms / 1000;
  gint64 days = seconds / 86400;
  gint64 rest = seconds % 86400;
  gint64 era, doe, yoe, doy, mp, year, month, day;

  g_assert (ms >= 0);

  days += 719468;
  era = days / 146097;
  doe = days - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  year = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year += month <= 2;

  g_snprintf (out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
              (int) year, (int) month, (int) day, (int) (rest / 3600),
              (int) (rest % 3600 / 60), (int) (rest % 60), (int) (ms % 1000));
}

static const char *
sha256_hex (Run        *run,
            const char *data,
            gssize      length)
{
  g_checksum_reset (run->checksum);
  g_checksum_update (run->checksum, (const guchar *) data, length);
  return g_checksum_get_string (run->checksum);
}

/* Appends @pattern to @out with each {x} replaced by a word of list x. */
static void
expand (Run        *run,
        GString    *out,
        const char *pattern)
{
  for (const char *p = pattern; *p != '\0'; p++)
    {
      const char *word;

      if (p[0] != '{' || p[1] == '\0' || p[2] != '}')
        {
          g_string_append_c (out, *p);
          continue;
        }

      switch (p[1])
        {
        case 'c': word = PICK (run, components); break;
        case 'a': word = PICK (run, actions); break;
        case 'w': word = PICK (run, conditions); break;
        case 's': word = PICK (run, stations); break;
        case 'r': word = PICK (run, readings); break;
        case 'f': word = PICK (run, references); break;
        case 'p': word = PICK (run, ppe); break;
        case 'o': word = PICK (run, qualified_roles); break;
        case 'n': word = PICK (run, counts); break;
        case 'h': word = PICK (run, hazards); break;
        default: g_assert_not_reached ();
        }

      g_string_append (out, word);
      p += 2;
    }
}

static gboolean
fail (Run         *run,
      int          rc,
      GError     **error)
{
  return pqs_store_set_error_from_sqlite (error, run->db, rc, _("Cannot write the demo data"));
}

/* Steps a statement that returns no rows and resets it. */
static gboolean
step_done (Run           *run,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      fail (run, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           index,
                 gint64        id)
{
  if (id != 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static void
add_event (Run       *run,
           EventKind  kind,
           gint64     time_ms,
           gint64     user_id,
           gint64     resource_id,
           gint64     standard_id,
           guint      number,
           guint      version)
{
  Event event = {
    .time_ms = time_ms,
    .user_id = user_id,
    .resource_id = resource_id,
    .standard_id = standard_id,
    .number = number,
    .kind = kind,
    .version = version,
  };

  g_array_append_val (run->events, event);
}

/* Users and templates ---------------------------------------------------- */

static gboolean
seed_users (Run     *run,
            GError **error)
{
  PqsDemoSeeder *self = run->self;
  sqlite3_stmt *insert = run->stmts[STMT_INSERT_USER];
  sqlite3_stmt *find = run->stmts[STMT_FIND_USER];
  gint64 base = run->now_ms - 420 * DAY_MS;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      const DemoPerson *person = &people[i];
      g_autofree char *username = NULL;
      g_autofree char *email = NULL;
      g_autofree char *full_name = NULL;
      g_autofree char *lower_last = g_ascii_strdown (person->last, -1);
      g_autofree char *lower_first = g_ascii_strdown (person->first, -1);
      gint64 created = base + i * 3 * HOUR_MS;
      gint64 logins[64];
      guint n_logins;
      gint64 last_login = 0;
      char created_text[32];
      char login_text[32];
      DemoUser user = { 0, person->role };
      int rc;

      username = g_strdup_printf ("%c%s", lower_first[0], lower_last);
      email = g_strdup_printf ("%s.%s@pqs-demo.example", lower_first, lower_last);
      full_name = g_strdup_printf ("%s %s", person->first, person->last);
      format_time (created, created_text);

      /* Sign-ins over the past year; the user row carries their count and the last one. */
      n_logins = person->active ? (guint) g_rand_int_range (run->rand,
                                                            person->role == ROLE_VISITOR ? 2 : 8,
                                                            person->role == ROLE_VISITOR ? 10 : 40)
                                : 1;
      for (guint j = 0; j < n_logins; j++)
        {
          logins[j] = rand_ms (run, created + DAY_MS, run->now_ms - HOUR_MS);
          last_login = MAX (last_login, logins[j]);
        }
      format_time (last_login, login_text);

      sqlite3_bind_text (insert, 1, username, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, email, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 3, run->password_hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 4, full_name, -1, SQLITE_STATIC);
      bind_text_or_null (insert, 5, person->rank);
      sqlite3_bind_text (insert, 6, role_names[person->role], -1, SQLITE_STATIC);
      sqlite3_bind_int (insert, 7, person->active);
      sqlite3_bind_text (insert, 8, created_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 9, login_text, -1, SQLITE_STATIC);
      sqlite3_bind_int (insert, 10, n_logins);
      if (!step_done (run, insert, error))
        return FALSE;

      if (sqlite3_changes (run->db) == 1)
        {
          user.id = sqlite3_last_insert_rowid (run->db);
          self->n_users_by_role[person->role]++;
          add_event (run, EVENT_USER_CREATE, created, 0, user.id, 0, person->role, 0);
          for (guint j = 0; j < n_logins; j++)
            add_event (run, EVENT_LOGIN, logins[j], user.id, user.id, 0, 0, 0);
        }
      else
        {
          /* A demo user from an earlier run (force): use the account as it is now. */
          const char *role;

          sqlite3_bind_text (find, 1, username, -1, SQLITE_STATIC);
          rc = sqlite3_step (find);
          if (rc == SQLITE_ROW)
            {
              user.id = sqlite3_column_int64 (find, 0);
              role = (const char *) sqlite3_column_text (find, 1);
              for (guint r = 0; r < G_N_ELEMENTS (role_names); r++)
                if (g_strcmp0 (role, role_names[r]) == 0)
                  user.role = r;
            }
          sqlite3_reset (find);

          if (rc == SQLITE_DONE)
            {
              g_set_error (error, PQS_DEMO_SEEDER_ERROR, PQS_DEMO_SEEDER_ERROR_CONFLICT,
                           _("The address “%s” of demo user “%s” belongs to another account. "
                             "Seed an empty database instead."), email, username);
              return FALSE;
            }
          if (rc != SQLITE_ROW)
            return fail (run, rc, error);
        }

      g_array_append_val (run->users, user);
      if (person->active && user.role != ROLE_VISITOR)
        g_array_append_val (run->authors, user.id);
      if (person->active && user.role >= ROLE_SUPERVISOR)
        g_array_append_val (run->reviewers, user.id);
      if (person->active && user.role == ROLE_VISITOR)
        g_array_append_val (run->visitors, user.id);
    }

  if (run->authors->len < 2 || run->reviewers->len < 2)
    {
      g_set_error_literal (error, PQS_DEMO_SEEDER_ERROR, PQS_DEMO_SEEDER_ERROR_CONFLICT,
                           _("The demo users were changed since the last run: too few are "
                             "left to write and review documents. Seed an empty database "
                             "instead."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
seed_templates (Run     *run,
                GError **error)
{
  sqlite3_stmt *find = run->stmts[STMT_FIND_TEMPLATE];
  sqlite3_stmt *insert = run->stmts[STMT_INSERT_TEMPLATE];
  char created_text[32];

  format_time (run->now_ms - 430 * DAY_MS, created_text);

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      const DemoTemplate *template = &templates[i];
      int rc;

      sqlite3_bind_int (find, 1, template->section);
      sqlite3_bind_text (find, 2, template->name, -1, SQLITE_STATIC);
      rc = sqlite3_step (find);
      if (rc == SQLITE_ROW)
        run->template_ids[i] = sqlite3_column_int64 (find, 0);
      sqlite3_reset (find);
      if (rc == SQLITE_ROW)
        continue;
      if (rc != SQLITE_DONE)
        return fail (run, rc, error);

      sqlite3_bind_text (insert, 1, template->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, template->description, -1, SQLITE_STATIC);
      sqlite3_bind_int (insert, 3, template->section);
      sqlite3_bind_text (insert, 4, template->content, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 5, sha256_hex (run, template->content, -1), -1,
                         SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 6, template->fields, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 7, created_text, -1, SQLITE_STATIC);
      if (!step_done (run, insert, error))
        return FALSE;

      run->template_ids[i] = sqlite3_last_insert_rowid (run->db);
      run->self->n_templates++;
    }

  return TRUE;
}

/* Documents -------------------------------------------------------------- */

/* The status a timeline ends in. */
static Status
timeline_status (const Step *steps,
                 guint       n_steps)
{
  switch (steps[n_steps - 1].kind)
    {
    case EVENT_DOC_SUBMIT:
    case EVENT_DOC_COMMENT:
      return STATUS_IN_REVIEW;
    case EVENT_DOC_APPROVE:
      return STATUS_APPROVED;
    case EVENT_DOC_ARCHIVE:
      return STATUS_ARCHIVED;
    case EVENT_USER_CREATE:
    case EVENT_LOGIN:
    case EVENT_STANDARD_CREATE:
    case EVENT_DOC_CREATE:
    case EVENT_DOC_REQUEST_CHANGES:
    case EVENT_DOC_REVISE:
    case EVENT_SEED:
    default:
      return STATUS_DRAFT;
    }
}

static void
push_step (Step      *steps,
           guint     *n_steps,
           EventKind  kind,
           gint64     user_id,
           gint64     time_ms,
           int        version)
{
  g_assert (*n_steps < MAX_STEPS);
  steps[*n_steps] = (Step) { kind, user_id, time_ms, version };
  (*n_steps)++;
}

/* The history of one document: who did what and when, ending in a status
 * drawn from the demo's mix (about 25 % draft, 15 % in review, 48 %
 * approved, 12 % archived; Precautions is approved more often). */
static guint
make_timeline (Run    *run,
               gint64  author,
               gint64  earliest,
               Step   *steps,
               guint   number)
{
  double roll = g_rand_double (run->rand);
  gint64 t = rand_ms (run, earliest, run->now_ms - DAY_MS);
  gint64 reviewer = pick_other (run, run->reviewers, author);
  guint n = 0;
  Status target;
  gint64 shift;

  if (number == 101)
    target = roll < 0.10 ? STATUS_DRAFT : roll < 0.20 ? STATUS_IN_REVIEW
             : roll < 0.92 ? STATUS_APPROVED : STATUS_ARCHIVED;
  else
    target = roll < 0.25 ? STATUS_DRAFT : roll < 0.40 ? STATUS_IN_REVIEW
             : roll < 0.88 ? STATUS_APPROVED : STATUS_ARCHIVED;

  push_step (steps, &n, EVENT_DOC_CREATE, author, t, 1);

  if (target == STATUS_DRAFT)
    {
      double kind = g_rand_double (run->rand);

      if (kind < 0.60)
        return n;   /* a fresh draft */

      t += rand_ms (run, HOUR_MS, 10 * DAY_MS);
      push_step (steps, &n, EVENT_DOC_SUBMIT, author, t, 1);
      t += rand_ms (run, HOUR_MS, 5 * DAY_MS);
      if (kind < 0.85)
        /* Sent back for changes. */
        push_step (steps, &n, EVENT_DOC_REQUEST_CHANGES, reviewer, t, 1);
      else
        {
          /* Approved once, now being revised as version 2. */
          push_step (steps, &n, EVENT_DOC_APPROVE, reviewer, t, 1);
          t += rand_ms (run, 10 * DAY_MS, 60 * DAY_MS);
          push_step (steps, &n, EVENT_DOC_REVISE, author, t, 2);
        }
    }
  else
    {
      t += rand_ms (run, HOUR_MS, 10 * DAY_MS);
      push_step (steps, &n, EVENT_DOC_SUBMIT, author, t, 1);

      if (chance (run, 0.30))
        {
          t += rand_ms (run, HOUR_MS, 5 * DAY_MS);
          push_step (steps, &n, EVENT_DOC_REQUEST_CHANGES, reviewer, t, 1);
          t += rand_ms (run, HOUR_MS, 7 * DAY_MS);
          push_step (steps, &n, EVENT_DOC_SUBMIT, author, t, 1);
        }

      if (chance (run, 0.10))
        {
          t += rand_ms (run, HOUR_MS, 2 * DAY_MS);
          push_step (steps, &n, EVENT_DOC_COMMENT, pick_other (run, run->reviewers, author),
                     t, 1);
        }

      if (target >= STATUS_APPROVED)
        {
          t += rand_ms (run, HOUR_MS, 5 * DAY_MS);
          push_step (steps, &n, EVENT_DOC_APPROVE, reviewer, t, 1);
        }

      if (target == STATUS_ARCHIVED)
        {
          t += rand_ms (run, 10 * DAY_MS, 90 * DAY_MS);
          push_step (steps, &n, EVENT_DOC_ARCHIVE, pick_id (run, run->reviewers), t, 1);
        }
    }

  /* Nothing happens in the future: slide a late history back in time. */
  if (t > run->now_ms - HOUR_MS)
    {
      shift = t - run->now_ms + rand_ms (run, HOUR_MS, DAY_MS);
      for (guint i = 0; i < n; i++)
        steps[i].time_ms -= shift;
    }

  g_assert (timeline_status (steps, n) == target);
  return n;
}

typedef struct
{
  gint64      standard_id;
  int         section;
  guint       number;
  const char *title;
  guint       template_index;
  gboolean    rare;
  gint64      earliest;
} DocumentSpec;

/* The form fields of the document's template, every required one filled,
 * so that a demo document can be opened, saved and submitted as it is. */
static void
make_metadata (Run                *run,
               const DocumentSpec *spec,
               gint64              created_ms,
               GString            *out)
{
  static const char *demo_references =
    "NAVSEA S9086-HN-STM-010\\nNSTM Chapter 079\\nShip's Information Book, Vol. 2";
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (created_ms / 1000);
  g_autofree char *date = g_date_time_format (created, "%Y-%m-%d");

  g_string_truncate (out, 0);
  switch (spec->template_index)
    {
    case TEMPLATE_PRECAUTIONS:
      g_string_append_printf (out, "{\"references\":\"%s\",\"hazards\":\"High voltage\\n"
                              "Rotating machinery\\nHot surfaces\",\"estimated_hours\":%d}",
                              demo_references, g_rand_int_range (run->rand, 1, 5));
      break;
    case TEMPLATE_FUNDAMENTALS:
      g_string_append_printf (out, "{\"references\":\"%s\",\"introduction\":\"The theory a "
                              "watchstander needs before the systems.\",\"prerequisites\":"
                              "\"101\",\"estimated_hours\":%d}",
                              demo_references, g_rand_int_range (run->rand, 1, 13));
      break;
    case TEMPLATE_SYSTEM:
      g_string_append_printf (out, "{\"references\":\"%s\",\"components\":\"Pumps\\nValves\\n"
                              "Heat exchangers\",\"parameters\":\"Discharge pressure "
                              "%d-%d psig\"}",
                              demo_references, 40 + g_rand_int_range (run->rand, 0, 20),
                              80 + g_rand_int_range (run->rand, 0, 40));
      break;
    case TEMPLATE_COMPONENT:
      g_string_append_printf (out, "{\"references\":\"%s\",\"parent_system\":\"Section %d\"}",
                              demo_references, 200 + g_rand_int_range (run->rand, 1, 40));
      break;
    case TEMPLATE_WATCHSTATION:
      g_string_append_printf (out, "{\"prerequisites\":\"101, 102, 201\",\"tasks\":\"Take "
                              "the watch\\nStart and stop the plant\\nRespond to casualties\","
                              "\"watches_under_instruction\":%d,\"final_signature\":"
                              "{\"name\":\"R. Okafor\",\"rank\":\"LCDR\",\"date\":\"%s\"}}",
                              g_rand_int_range (run->rand, 3, 13), date);
      break;
    case TEMPLATE_BOARD:
    default:
      g_string_append (out, "{\"board_members\":\"Engineer Officer\\nMain Propulsion "
                       "Assistant\",\"scenarios\":\"Loss of lube oil\\nMain space fire\"}");
      break;
    }
}

/* The body text: a few sentences of common words; rare documents get one
 * sentence with the rare word. Returns the length of the first version's
 * text (the body less its last sentence) for revised documents. */
static gsize
make_content (Run                *run,
              const DocumentSpec *spec)
{
  GString *content = run->content;
  guint n_sentences = g_rand_int_range (run->rand, 3, 8);
  gsize first_version = 0;

  g_string_truncate (content, 0);
  for (guint i = 0; i < n_sentences; i++)
    {
      if (i == n_sentences - 1)
        first_version = content->len;
      if (i > 0)
        g_string_append_c (content, ' ');
      if (spec->number == 101)
        expand (run, content, PICK (run, precaution_patterns));
      else
        expand (run, content, PICK (run, body_patterns));
    }

  if (spec->rare)
    g_string_append (content, " Mark the spare gauge with the " PQS_DEMO_SEEDER_RARE_WORD
                     " tag so the relief watch finds it.");

  return first_version;
}

static gboolean
insert_items (Run      *run,
              gint64    document_id,
              GError  **error)
{
  sqlite3_stmt *insert = run->stmts[STMT_INSERT_ITEM];
  guint n_items = g_rand_int_range (run->rand, 3, 9);
  gint64 question = 0;
  gint64 sub_question = 0;
  guint top_position = 0;
  guint question_children = 0;
  guint sub_children = 0;

  g_ptr_array_set_size (run->outline, 0);

  /* 3 to 8 questions, sub-questions and second-level sub-questions, each
   * under a parent of the right kind, then a signature line. */
  for (guint i = 0; i <= n_items; i++)
    {
      const char *kind;
      gint64 parent = 0;
      guint position;
      gboolean signature = i == n_items;
      double roll = g_rand_double (run->rand);

      g_string_truncate (run->text, 0);
      g_string_truncate (run->answer, 0);
      g_string_truncate (run->criteria, 0);

      if (signature)
        {
          kind = "signature";
          position = top_position++;
          g_string_append (run->text, "Qualifier's signature and date");
        }
      else if (question == 0 || roll < 0.45)
        {
          kind = "question";
          position = top_position++;
          expand (run, run->text, PICK (run, question_patterns));
        }
      else if (sub_question == 0 || roll < 0.80)
        {
          kind = "sub_question";
          parent = question;
          position = question_children++;
          expand (run, run->text, PICK (run, sub_question_patterns));
        }
      else
        {
          kind = "second_level";
          parent = sub_question;
          position = sub_children++;
          expand (run, run->text, PICK (run, second_level_patterns));
        }

      if (!signature)
        {
          expand (run, run->answer, PICK (run, answer_patterns));
          expand (run, run->criteria, PICK (run, criteria_patterns));
        }

      sqlite3_bind_int64 (insert, 1, document_id);
      bind_id_or_null (insert, 2, parent);
      sqlite3_bind_int (insert, 3, position);
      sqlite3_bind_text (insert, 4, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 5, run->text->str, run->text->len, SQLITE_STATIC);
      if (signature)
        {
          sqlite3_bind_null (insert, 6);
          sqlite3_bind_null (insert, 7);
        }
      else
        {
          sqlite3_bind_text (insert, 6, run->answer->str, run->answer->len, SQLITE_STATIC);
          sqlite3_bind_text (insert, 7, run->criteria->str, run->criteria->len, SQLITE_STATIC);
        }
      if (!step_done (run, insert, error))
        return FALSE;
      run->self->n_items++;

      g_ptr_array_add (run->outline,
                       pqs_outline_item_new (signature ? PQS_ITEM_SIGNATURE
                                             : parent == 0 ? PQS_ITEM_QUESTION
                                             : parent == question ? PQS_ITEM_SUB_QUESTION
                                             : PQS_ITEM_SECOND_LEVEL,
                                             signature || parent == 0 ? 0
                                             : parent == question ? 1 : 2,
                                             run->text->str,
                                             signature ? NULL : run->answer->str,
                                             signature ? NULL : run->criteria->str));

      if (g_str_equal (kind, "question"))
        {
          question = sqlite3_last_insert_rowid (run->db);
          sub_question = 0;
          question_children = 0;
        }
      else if (g_str_equal (kind, "sub_question"))
        {
          sub_question = sqlite3_last_insert_rowid (run->db);
          sub_children = 0;
        }
    }

  return TRUE;
}

static gboolean
insert_change (Run         *run,
               gint64       document_id,
               const Step  *step,
               const char  *change_type,
               const char  *old_content,
               gssize       old_length,
               const char  *new_content,
               gssize       new_length,
               const char  *summary,
               const char  *action,
               const char  *status,
               const char  *snapshot,
               GError     **error)
{
  sqlite3_stmt *insert = run->stmts[STMT_INSERT_CHANGE];
  char time_text[32];

  format_time (step->time_ms, time_text);
  sqlite3_bind_int64 (insert, 1, document_id);
  sqlite3_bind_int64 (insert, 2, step->user_id);
  sqlite3_bind_text (insert, 3, change_type, -1, SQLITE_STATIC);
  if (old_content != NULL)
    sqlite3_bind_text (insert, 4, old_content, old_length, SQLITE_STATIC);
  else
    sqlite3_bind_null (insert, 4);
  if (new_content != NULL)
    sqlite3_bind_text (insert, 5, new_content, new_length, SQLITE_STATIC);
  else
    sqlite3_bind_null (insert, 5);
  sqlite3_bind_text (insert, 6, summary, -1, SQLITE_STATIC);
  sqlite3_bind_int (insert, 7, step->version);
  sqlite3_bind_text (insert, 8, time_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 9, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 10, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 11, snapshot, -1, SQLITE_STATIC);
  if (!step_done (run, insert, error))
    return FALSE;

  run->self->n_changes++;
  return TRUE;
}

static gboolean
insert_review (Run         *run,
               gint64       document_id,
               const Step  *step,
               const char  *decision,
               const char  *comment,
               GError     **error)
{
  sqlite3_stmt *insert = run->stmts[STMT_INSERT_REVIEW];
  char time_text[32];

  format_time (step->time_ms, time_text);
  sqlite3_bind_int64 (insert, 1, document_id);
  sqlite3_bind_int64 (insert, 2, step->user_id);
  sqlite3_bind_text (insert, 3, decision, -1, SQLITE_STATIC);
  bind_text_or_null (insert, 4, comment);
  sqlite3_bind_int (insert, 5, step->version);
  sqlite3_bind_text (insert, 6, time_text, -1, SQLITE_STATIC);
  if (!step_done (run, insert, error))
    return FALSE;

  run->self->n_reviews++;
  return TRUE;
}

/* The change rows, reviews and audit events of a timeline. A transition
 * does not change the text, so its change row carries the summary only;
 * saves (create, revise) carry the text before and after. */
static gboolean
insert_history (Run                *run,
                const DocumentSpec *spec,
                gint64              document_id,
                const Step         *steps,
                guint               n_steps,
                gsize               first_version_length,
                const char         *first_snapshot,
                const char         *snapshot,
                GError            **error)
{
  const char *content = run->content->str;
  gboolean revised = steps[n_steps - 1].kind == EVENT_DOC_REVISE;
  g_autofree char *created_summary =
    g_strdup_printf ("Created from the “%s” template", templates[spec->template_index].name);

  for (guint i = 0; i < n_steps; i++)
    {
      const Step *step = &steps[i];
      gboolean ok = TRUE;

      switch (step->kind)
        {
        case EVENT_DOC_CREATE:
          ok = insert_change (run, document_id, step, "create", NULL, 0, content,
                              revised ? (gssize) first_version_length : (gssize) run->content->len,
                              created_summary, "create", "draft", first_snapshot, error);
          break;

        case EVENT_DOC_SUBMIT:
          ok = insert_change (run, document_id, step, "update", NULL, 0, NULL, 0,
                              "Submitted for review", "submit", "in_review", first_snapshot,
                              error);
          break;

        case EVENT_DOC_COMMENT:
          g_string_truncate (run->scratch, 0);
          expand (run, run->scratch, PICK (run, plain_comments));
          ok = insert_review (run, document_id, step, "comment", run->scratch->str, error);
          break;

        case EVENT_DOC_REQUEST_CHANGES:
          g_string_truncate (run->scratch, 0);
          expand (run, run->scratch, PICK (run, change_comments));
          ok = insert_review (run, document_id, step, "changes_requested", run->scratch->str,
                              error) &&
               insert_change (run, document_id, step, "update", NULL, 0, NULL, 0,
                              "Changes requested; returned to draft", "request_changes",
                              "draft", first_snapshot, error);
          break;

        case EVENT_DOC_APPROVE:
          ok = insert_review (run, document_id, step, "approved",
                              chance (run, 0.3) ? "Approved as written." : NULL, error) &&
               insert_change (run, document_id, step, "update", NULL, 0, NULL, 0,
                              "Approved", "approve", "approved", first_snapshot, error);
          break;

        case EVENT_DOC_REVISE:
          ok = insert_change (run, document_id, step, "update",
                              content, first_version_length, content, run->content->len,
                              "Revised after approval (new draft revision)", "revise", "draft",
                              snapshot, error);
          break;

        case EVENT_DOC_ARCHIVE:
          ok = insert_change (run, document_id, step, "update", NULL, 0, NULL, 0,
                              "Archived", "archive", "archived", first_snapshot, error);
          break;

        case EVENT_USER_CREATE:
        case EVENT_LOGIN:
        case EVENT_STANDARD_CREATE:
        case EVENT_SEED:
        default:
          g_assert_not_reached ();
        }

      if (!ok)
        return FALSE;

      add_event (run, step->kind, step->time_ms, step->user_id, document_id,
                 spec->standard_id, spec->number, step->version);
    }

  return TRUE;
}

typedef struct
{
  gint64      user_id;
  const char *role;
  const char *permissions;
} Collaborator;

static gboolean
insert_collaborators (Run     *run,
                      gint64   document_id,
                      gint64   author,
                      gint64   created_ms,
                      GError **error)
{
  sqlite3_stmt *insert = run->stmts[STMT_INSERT_COLLABORATOR];
  Collaborator rows[3];
  guint n_rows = 0;
  char invited_text[32];
  char joined_text[32];

  if (!chance (run, 0.25))
    return TRUE;

  rows[n_rows++] = (Collaborator) { author, "owner", NULL };
  rows[n_rows++] = (Collaborator) { pick_other (run, run->authors, author), "editor", NULL };
  if (run->visitors->len > 0 && chance (run, 0.4))
    rows[n_rows++] = (Collaborator) { pick_id (run, run->visitors), "viewer",
                                      "{\"can_comment\":true}" };

  for (guint i = 0; i < n_rows; i++)
    {
      gint64 invited = created_ms + (i == 0 ? 0 : rand_ms (run, HOUR_MS, 3 * DAY_MS));
      gboolean joined = i == 0 || chance (run, 0.8);

      format_time (MIN (invited, run->now_ms), invited_text);
      format_time (MIN (invited + rand_ms (run, 0, DAY_MS), run->now_ms), joined_text);

      sqlite3_bind_int64 (insert, 1, document_id);
      sqlite3_bind_int64 (insert, 2, rows[i].user_id);
      sqlite3_bind_text (insert, 3, rows[i].role, -1, SQLITE_STATIC);
      bind_text_or_null (insert, 4, rows[i].permissions);
      sqlite3_bind_int64 (insert, 5, author);
      sqlite3_bind_text (insert, 6, invited_text, -1, SQLITE_STATIC);
      if (joined)
        sqlite3_bind_text (insert, 7, joined_text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (insert, 7);
      if (!step_done (run, insert, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
insert_document (Run                *run,
                 const DocumentSpec *spec,
                 GError            **error)
{
  PqsDemoSeeder *self = run->self;
  sqlite3_stmt *insert = run->stmts[STMT_INSERT_DOCUMENT];
  Step steps[MAX_STEPS];
  guint n_steps;
  gint64 author = pick_id (run, run->authors);
  gint64 reviewed_by = 0, approved_by = 0;
  gint64 reviewed_at = 0, approved_at = 0;
  gint64 document_id;
  gsize first_version;
  Status status;
  int version;
  g_autoptr(GString) metadata = g_string_new (NULL);
  char created_text[32], updated_text[32], reviewed_text[32], approved_text[32];

  n_steps = make_timeline (run, author, spec->earliest, steps, spec->number);
  status = timeline_status (steps, n_steps);
  version = steps[n_steps - 1].version;

  for (guint i = 0; i < n_steps; i++)
    {
      if (steps[i].kind == EVENT_DOC_REQUEST_CHANGES || steps[i].kind == EVENT_DOC_APPROVE)
        {
          reviewed_by = steps[i].user_id;
          reviewed_at = steps[i].time_ms;
        }
      if (steps[i].kind == EVENT_DOC_APPROVE)
        {
          approved_by = steps[i].user_id;
          approved_at = steps[i].time_ms;
        }
    }

  /* The approval belongs to the approved text, not to a new draft of it. */
  if (status != STATUS_APPROVED && status != STATUS_ARCHIVED)
    approved_by = approved_at = 0;

  first_version = make_content (run, spec);
  make_metadata (run, spec, steps[0].time_ms, metadata);

  format_time (steps[0].time_ms, created_text);
  format_time (steps[n_steps - 1].time_ms, updated_text);

  sqlite3_bind_int64 (insert, 1, spec->standard_id);
  sqlite3_bind_text (insert, 2, spec->title, -1, SQLITE_STATIC);
  sqlite3_bind_int (insert, 3, spec->section);
  sqlite3_bind_int (insert, 4, spec->number);
  sqlite3_bind_int64 (insert, 5, run->template_ids[spec->template_index]);
  sqlite3_bind_text (insert, 6, run->content->str, run->content->len, SQLITE_STATIC);
  sqlite3_bind_text (insert, 7, sha256_hex (run, run->content->str, run->content->len), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 8, metadata->str, metadata->len, SQLITE_STATIC);
  sqlite3_bind_text (insert, 9, status_names[status], -1, SQLITE_STATIC);
  sqlite3_bind_int (insert, 10, version);
  sqlite3_bind_int64 (insert, 11, author);
  sqlite3_bind_int64 (insert, 12, steps[n_steps - 1].user_id);
  bind_id_or_null (insert, 13, reviewed_by);
  bind_id_or_null (insert, 14, approved_by);
  sqlite3_bind_text (insert, 15, created_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 16, updated_text, -1, SQLITE_STATIC);
  if (reviewed_at != 0)
    {
      format_time (reviewed_at, reviewed_text);
      sqlite3_bind_text (insert, 17, reviewed_text, -1, SQLITE_STATIC);
    }
  else
    sqlite3_bind_null (insert, 17);
  if (approved_at != 0)
    {
      format_time (approved_at, approved_text);
      sqlite3_bind_text (insert, 18, approved_text, -1, SQLITE_STATIC);
    }
  else
    sqlite3_bind_null (insert, 18);

  if (!step_done (run, insert, error))
    return FALSE;

  document_id = sqlite3_last_insert_rowid (run->db);
  self->n_documents_by_status[status]++;
  if (spec->rare)
    g_array_append_val (self->rare_ids, document_id);

  if (!insert_items (run, document_id, error) ||
      !insert_collaborators (run, document_id, author, steps[0].time_ms, error))
    return FALSE;

  /* The whole document after each change, as the library keeps it
   * (pqs_document_dup_snapshot()), so that seeded versions can be shown and
   * restored. Only a revision (the last step) changes the text: the steps
   * before it hold the first version. */
  {
    g_autoptr(PqsDocument) document = pqs_document_new (spec->number, spec->title);
    g_autofree char *snapshot = NULL;
    g_autofree char *first_snapshot = NULL;

    pqs_document_set_template_id (document, run->template_ids[spec->template_index]);
    if (!pqs_document_set_metadata_json (document, metadata->str, error))
      return FALSE;
    pqs_document_set_outline (document, run->outline);
    pqs_document_set_body (document, run->content->str);
    snapshot = pqs_document_dup_snapshot (document);
    if (steps[n_steps - 1].kind == EVENT_DOC_REVISE)
      {
        g_autofree char *first_body = g_strndup (run->content->str, first_version);

        pqs_document_set_body (document, first_body);
        first_snapshot = pqs_document_dup_snapshot (document);
      }

    return insert_history (run, spec, document_id, steps, n_steps, first_version,
                           first_snapshot != NULL ? first_snapshot : snapshot, snapshot,
                           error);
  }
}

/* Standards -------------------------------------------------------------- */

/* Chooses @n of the numbers section+1 … section+99 (101 always for the 100
 * series), in ascending order. */
static void
choose_numbers (Run   *run,
                int    section,
                guint  n,
                guint *out)
{
  guint slots[99];
  guint first = 0;

  g_assert (n <= 99);

  for (guint i = 0; i < 99; i++)
    slots[i] = section + 1 + i;

  if (section == 100 && n > 0)
    first = 1;   /* 101 stays in slot 0 */

  for (guint i = first; i < n; i++)
    {
      guint j = g_rand_int_range (run->rand, i, 99);
      guint swap = slots[i];

      slots[i] = slots[j];
      slots[j] = swap;
    }

  memcpy (out, slots, n * sizeof (guint));
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && out[j - 1] > out[j]; j--)
      {
        guint swap = out[j];

        out[j] = out[j - 1];
        out[j - 1] = swap;
      }
}

/* Titles for @n documents of a series, distinct within the standard. */
static void
choose_titles (Run                *run,
               const char * const *topics,
               guint               n_topics,
               const char * const *aspects,
               guint               n_aspects,
               guint               n,
               GPtrArray          *titles)
{
  guint n_combinations = n_topics * n_aspects;
  g_autofree guint *order = g_new (guint, n_combinations);

  g_assert (n <= n_combinations);

  for (guint i = 0; i < n_combinations; i++)
    order[i] = i;

  g_ptr_array_set_size (titles, 0);
  for (guint i = 0; i < n; i++)
    {
      guint j = g_rand_int_range (run->rand, i, n_combinations);
      guint swap = order[i];

      order[i] = order[j];
      order[j] = swap;
      g_ptr_array_add (titles, g_strconcat (topics[order[i] / n_aspects],
                                            aspects[order[i] % n_aspects], NULL));
    }
}

static gboolean
report_progress (Run     *run,
                 GError **error)
{
  PqsDemoSeeder *self = run->self;

  if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
    return FALSE;

  if (self->progress_func != NULL)
    self->progress_func (run->documents_done, self->documents, self->progress_data);

  return TRUE;
}

static gboolean
seed_standard (Run     *run,
               guint    n_documents,
               GError **error)
{
  PqsDemoSeeder *self = run->self;
  sqlite3_stmt *insert = run->stmts[STMT_INSERT_STANDARD];
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *applicability = NULL;
  g_autofree char *revision = NULL;
  const char *title = PICK (run, standard_titles);
  const char *unit = PICK (run, owning_units);
  double roll = g_rand_double (run->rand);
  const char *classification = roll < 0.85 ? "unclassified"
                               : roll < 0.95 ? "restricted" : "confidential";
  const char *status;
  gint64 creator = pick_id (run, run->reviewers);
  gint64 created = rand_ms (run, run->now_ms - 400 * DAY_MS, run->now_ms - 370 * DAY_MS);
  gint64 standard_id;
  guint counts_by_series[3];
  char created_text[32];
  int jitter;

  roll = g_rand_double (run->rand);
  status = roll < 0.85 ? "active" : roll < 0.95 ? "draft" : "archived";
  applicability = g_strdup_printf ("All %s personnel assigned to %s.", PICK (run, ratings), unit);
  revision = g_strdup_printf ("Rev. %c (%d)", 'A' + g_rand_int_range (run->rand, 0, 6),
                              g_rand_int_range (run->rand, 2015, 2025));
  format_time (created, created_text);

  sqlite3_bind_text (insert, 1, title, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, classification, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, applicability, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, revision, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 7, creator);
  sqlite3_bind_text (insert, 8, created_text, -1, SQLITE_STATIC);
  if (!step_done (run, insert, error))
    return FALSE;

  standard_id = sqlite3_last_insert_rowid (run->db);
  self->n_standards++;
  add_event (run, EVENT_STANDARD_CREATE, created, creator, standard_id, standard_id, 0, 0);

  /* About 30 % fundamentals, 40 % systems, 30 % watchstations; 101 always. */
  g_assert (n_documents >= 1 && n_documents <= 3 * 99);
  jitter = g_rand_int_range (run->rand, -3, 4);
  counts_by_series[0] = (guint) CLAMP ((int) (n_documents * 30 / 100) + jitter, 1, 99);
  counts_by_series[0] = MIN (counts_by_series[0], n_documents);
  counts_by_series[2] = (guint) CLAMP ((int) (n_documents * 30 / 100) - jitter, 0, 99);
  counts_by_series[2] = MIN (counts_by_series[2], n_documents - counts_by_series[0]);
  counts_by_series[1] = n_documents - counts_by_series[0] - counts_by_series[2];
  /* Rebalance a full systems series (only near 297 documents). */
  while (counts_by_series[1] > 99)
    {
      guint target = counts_by_series[0] < counts_by_series[2] ? 0 : 2;

      if (counts_by_series[target] == 99)
        target = 2 - target;
      counts_by_series[target]++;
      counts_by_series[1]--;
    }

  for (guint series = 0; series < 3; series++)
    {
      int section = (int) (series + 1) * 100;
      guint n = counts_by_series[series];
      guint numbers[99];

      if (n == 0)
        continue;

      choose_numbers (run, section, n, numbers);
      if (series == 0)
        choose_titles (run, topics_100, G_N_ELEMENTS (topics_100),
                       aspects_100, G_N_ELEMENTS (aspects_100), n, titles);
      else if (series == 1)
        choose_titles (run, topics_200, G_N_ELEMENTS (topics_200),
                       aspects_200, G_N_ELEMENTS (aspects_200), n, titles);
      else
        choose_titles (run, topics_300, G_N_ELEMENTS (topics_300),
                       aspects_300, G_N_ELEMENTS (aspects_300), n, titles);

      for (guint i = 0; i < n; i++)
        {
          DocumentSpec spec = {
            .standard_id = standard_id,
            .section = section,
            .number = numbers[i],
            .title = g_ptr_array_index (titles, i),
            .earliest = created + DAY_MS,
          };
          guint k = run->documents_done;

          if (numbers[i] == 101)
            {
              spec.title = "Precautions";
              spec.template_index = TEMPLATE_PRECAUTIONS;
            }
          else if (section == 100)
            spec.template_index = TEMPLATE_FUNDAMENTALS;
          else if (section == 200)
            spec.template_index = chance (run, 0.2) ? TEMPLATE_COMPONENT : TEMPLATE_SYSTEM;
          else
            spec.template_index = chance (run, 0.1) ? TEMPLATE_BOARD : TEMPLATE_WATCHSTATION;

          spec.rare = k % PQS_DEMO_SEEDER_RARE_EVERY == PQS_DEMO_SEEDER_RARE_OFFSET;

          if (!insert_document (run, &spec, error))
            return FALSE;

          run->documents_done++;
          if (run->documents_done % PROGRESS_EVERY == 0 && !report_progress (run, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* Audit trail ------------------------------------------------------------- */

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const Event *ea = a;
  const Event *eb = b;

  return (ea->time_ms > eb->time_ms) - (ea->time_ms < eb->time_ms);
}

static void
event_details (const Event *event,
               PqsDemoSeeder *self,
               GString     *out)
{
  g_string_truncate (out, 0);

  switch ((EventKind) event->kind)
    {
    case EVENT_USER_CREATE:
      g_string_append_printf (out, "{\"role\":\"%s\"}", role_names[event->number]);
      break;

    case EVENT_LOGIN:
      g_string_append (out, "{\"method\":\"password\",\"success\":true}");
      break;

    case EVENT_STANDARD_CREATE:
      g_string_append_printf (out, "{\"standard_id\":%" PRId64 "}",
                              event->standard_id);
      break;

    case EVENT_SEED:
      g_string_append_printf (out, "{\"documents\":%u,\"seed\":%u,\"standards\":%u}",
                              self->documents, self->seed, self->n_standards);
      break;

    case EVENT_DOC_CREATE:
    case EVENT_DOC_SUBMIT:
    case EVENT_DOC_COMMENT:
    case EVENT_DOC_REQUEST_CHANGES:
    case EVENT_DOC_APPROVE:
    case EVENT_DOC_REVISE:
    case EVENT_DOC_ARCHIVE:
    default:
      g_string_append_printf (out, "{\"standard_id\":%" PRId64 ",\"section\":%u,"
                              "\"number\":%u,\"version\":%u",
                              event->standard_id, event->number / 100 * 100,
                              event->number, event->version);
      if (event_info[event->kind].from != NULL)
        g_string_append_printf (out, ",\"from\":\"%s\",\"to\":\"%s\"",
                                event_info[event->kind].from, event_info[event->kind].to);
      g_string_append_c (out, '}');
      break;
    }
}

static const char *
event_resource_type (EventKind kind)
{
  switch (kind)
    {
    case EVENT_USER_CREATE:
    case EVENT_LOGIN:
      return "user";
    case EVENT_STANDARD_CREATE:
      return "standard";
    case EVENT_SEED:
      return "database";
    case EVENT_DOC_CREATE:
    case EVENT_DOC_SUBMIT:
    case EVENT_DOC_COMMENT:
    case EVENT_DOC_REQUEST_CHANGES:
    case EVENT_DOC_APPROVE:
    case EVENT_DOC_REVISE:
    case EVENT_DOC_ARCHIVE:
    default:
      return "document";
    }
}

static gboolean
seed_audit_trail (Run     *run,
                  GError **error)
{
  PqsDemoSeeder *self = run->self;
  sqlite3_stmt *last = run->stmts[STMT_LAST_ACTIVITY];
  sqlite3_stmt *insert = run->stmts[STMT_INSERT_ACTIVITY];
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *prev_hash = NULL;
  gint64 next_id;
  int rc;

  /* Continue the chain after whatever the database holds. */
  rc = sqlite3_step (last);
  if (rc != SQLITE_ROW)
    {
      fail (run, rc, error);
      sqlite3_reset (last);
      return FALSE;
    }
  next_id = sqlite3_column_int64 (last, 0) + 1;
  prev_hash = g_strdup ((const char *) sqlite3_column_text (last, 1));
  sqlite3_reset (last);

  add_event (run, EVENT_SEED, run->now_ms, 0, 0, 0, 0, 0);
  g_array_sort (run->events, compare_events);   /* stable: ties keep their order */

  for (guint i = 0; i < run->events->len; i++)
    {
      const Event *event = &g_array_index (run->events, Event, i);
      const char *activity_type = event_info[event->kind].activity_type;
      const char *resource_type = event_resource_type (event->kind);
      gboolean has_resource = event->kind != EVENT_SEED;
      char time_text[32];
      g_autofree char *row_hash = NULL;
      PqsAuditRow row;

      event_details (event, self, details);
      format_time (event->time_ms, time_text);

      row.id = next_id;
      row.has_user = event->user_id != 0;
      row.user_id = event->user_id;
      row.activity_type = activity_type;
      row.resource_type = resource_type;
      row.has_resource = has_resource;
      row.resource_id = event->resource_id;
      row.details = details->str;
      row.ip_address = NULL;
      row.user_agent = USER_AGENT;
      row.created_at = time_text;
      row.prev_hash = prev_hash;
      row_hash = pqs_audit_row_hash (&row);

      sqlite3_bind_int64 (insert, 1, next_id);
      bind_id_or_null (insert, 2, event->user_id);
      sqlite3_bind_text (insert, 3, activity_type, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 4, resource_type, -1, SQLITE_STATIC);
      if (has_resource)
        sqlite3_bind_int64 (insert, 5, event->resource_id);
      else
        sqlite3_bind_null (insert, 5);
      sqlite3_bind_text (insert, 6, details->str, details->len, SQLITE_STATIC);
      sqlite3_bind_text (insert, 7, USER_AGENT, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 8, time_text, -1, SQLITE_STATIC);
      bind_text_or_null (insert, 9, prev_hash);
      sqlite3_bind_text (insert, 10, row_hash, -1, SQLITE_STATIC);
      if (!step_done (run, insert, error))
        return FALSE;

      g_free (prev_hash);
      prev_hash = g_steal_pointer (&row_hash);
      next_id++;
      self->n_activities++;

      if (i % 65536 == 0 && g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
    }

  return TRUE;
}

/* Search index ------------------------------------------------------------- */

/* SQLite 3.40's FTS5 flushes its pending terms to a new segment at every
 * statement savepoint of the transaction once it takes part in it, and every
 * insert below opens one (triggers, foreign keys). With the index's triggers
 * in place a bulk load would write a segment per row and spend most of its
 * time merging them. So, inside the same transaction (nobody ever sees the
 * triggers missing), the triggers on documents and document_items that feed
 * documents_fts and document_items_fts (011) are dropped, the rows written,
 * their text indexed in one statement per index, and the triggers created
 * again from their own stored SQL. */
static gboolean
suspend_search_triggers (PqsStore   *store,
                         GPtrArray  *saved,
                         gint64     *out_max_id,
                         gint64     *out_max_item_id,
                         GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!pqs_store_query_int64 (store, "SELECT coalesce(max(id), 0) FROM documents",
                              out_max_id, error) ||
      !pqs_store_query_int64 (store, "SELECT coalesce(max(id), 0) FROM document_items",
                              out_max_item_id, error))
    return FALSE;

  stmt = pqs_store_prepare (store,
                            "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' "
                            "AND ((tbl_name = 'documents' AND sql LIKE '%documents_fts%') "
                            "OR (tbl_name = 'document_items' "
                            "AND sql LIKE '%document_items_fts%')) ORDER BY name",
                            error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (saved, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (saved, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, NULL);

  for (guint i = 0; i < saved->len; i += 2)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TRIGGER \"%s\"",
                                               (const char *) g_ptr_array_index (saved, i));

      if (!pqs_store_exec (store, drop, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
resume_search_triggers (PqsStore   *store,
                        GPtrArray  *saved,
                        gint64      max_id,
                        gint64      max_item_id,
                        GError    **error)
{
  g_autofree char *index = NULL;
  g_autofree char *index_items = NULL;
  gboolean items_indexed = FALSE;

  if (saved->len == 0)
    return TRUE;

  index = g_strdup_printf ("INSERT INTO documents_fts (rowid, title, content) "
                           "SELECT id, title, content FROM documents WHERE id > %"
                           PRId64 " ORDER BY id", max_id);
  if (!pqs_store_exec (store, index, error))
    return FALSE;

  /* Only if its triggers were there (a database before 011 has neither). */
  for (guint i = 1; i < saved->len; i += 2)
    items_indexed = items_indexed ||
                    strstr (g_ptr_array_index (saved, i), "document_items_fts") != NULL;
  if (items_indexed)
    {
      index_items = g_strdup_printf ("INSERT INTO document_items_fts (rowid, text, answer, "
                                     "criteria) SELECT id, text, answer, criteria FROM "
                                     "document_items WHERE id > %" PRId64
                                     " ORDER BY id", max_item_id);
      if (!pqs_store_exec (store, index_items, error))
        return FALSE;
    }

  for (guint i = 1; i < saved->len; i += 2)
    if (!pqs_store_exec (store, g_ptr_array_index (saved, i), error))
      return FALSE;

  return TRUE;
}

/* The run ------------------------------------------------------------------ */

static gboolean
seed_cb (PqsStore  *store,
         gpointer   user_data,
         GError   **error)
{
  Run *run = user_data;
  PqsDemoSeeder *self = run->self;
  g_autoptr(GPtrArray) search_triggers = g_ptr_array_new_with_free_func (g_free);
  gint64 max_document_id = 0;
  gint64 max_item_id = 0;
  guint n_standards;

  if (!suspend_search_triggers (store, search_triggers, &max_document_id, &max_item_id, error))
    return FALSE;

  for (guint i = 0; i < N_STMTS; i++)
    {
      run->stmts[i] = pqs_store_prepare (store, statement_sql[i], error);
      if (run->stmts[i] == NULL)
        return FALSE;
    }

  if (!seed_users (run, error) || !seed_templates (run, error))
    return FALSE;

  /* About 150 documents per standard (at most 99 per series fit in one). */
  n_standards = self->documents == 0 ? 0
                : (self->documents + DOCUMENTS_PER_STANDARD - 1) / DOCUMENTS_PER_STANDARD;
  for (guint i = 0; i < n_standards; i++)
    {
      guint n = self->documents / n_standards + (i < self->documents % n_standards ? 1 : 0);

      if (!seed_standard (run, n, error))
        return FALSE;
    }

  g_assert (run->documents_done == self->documents);
  g_debug ("Documents written after %.2f s", (g_get_monotonic_time () - run->started) / 1e6);
  if (!seed_audit_trail (run, error))
    return FALSE;
  g_debug ("Audit trail written after %.2f s", (g_get_monotonic_time () - run->started) / 1e6);

  if (!resume_search_triggers (store, search_triggers, max_document_id, max_item_id, error))
    return FALSE;
  g_debug ("Search index written after %.2f s", (g_get_monotonic_time () - run->started) / 1e6);

  return report_progress (run, error);
}

static char *
generate_password (void)
{
  /* No 0/O, 1/l/I: it is read off a terminal. 16 of 56 symbols ≈ 93 bits. */
  static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  GString *password = g_string_new ("demo-");

  for (guint i = 0; i < 16; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (password, '-');
      g_string_append_c (password, alphabet[randombytes_uniform (sizeof alphabet - 1)]);
    }

  return g_string_free (password, FALSE);
}

static void
reset_results (PqsDemoSeeder *self)
{
  memset (self->n_users_by_role, 0, sizeof self->n_users_by_role);
  memset (self->n_documents_by_status, 0, sizeof self->n_documents_by_status);
  self->n_templates = 0;
  self->n_standards = 0;
  self->n_items = 0;
  self->n_changes = 0;
  self->n_reviews = 0;
  self->n_activities = 0;
  g_array_set_size (self->rare_ids, 0);
}

/**
 * pqs_demo_seeder_run:
 * @self: a #PqsDemoSeeder
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Brings the database to the newest schema, then writes the demo data in
 * one transaction. Refuses (%PQS_DEMO_SEEDER_ERROR_NOT_EMPTY) a database
 * that holds documents unless #PqsDemoSeeder:force is set; with force the
 * data is added beside what is there, in new standards, reusing the demo
 * users and system templates of an earlier run. On error or cancellation
 * nothing of the demo data is written.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_demo_seeder_run (PqsDemoSeeder  *self,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(Run) run = NULL;
  g_autofree char *applied_by = NULL;
  gint64 existing = 0;
  gint64 cache_size = 0;
  gboolean ok;

  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  reset_results (self);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, PQS_DEMO_SEEDER_ERROR, PQS_DEMO_SEEDER_ERROR_PASSWORD,
                           _("The cryptography library could not start."));
      return FALSE;
    }

  migrator = pqs_migrator_new (self->store);
  applied_by = g_strdup_printf ("%s (demo seeder)", g_get_user_name ());
  pqs_migrator_set_applied_by (migrator, applied_by);
  if (!pqs_migrator_load (migrator, NULL, error) ||
      !pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, error))
    return FALSE;

  if (!pqs_store_query_int64 (self->store, "SELECT count(*) FROM documents", &existing, error))
    return FALSE;
  if (existing > 0 && !self->force)
    {
      g_set_error (error, PQS_DEMO_SEEDER_ERROR, PQS_DEMO_SEEDER_ERROR_NOT_EMPTY,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The database already holds %" PRId64 " document; "
                                "demo data goes into an empty database.",
                                "The database already holds %" PRId64 " documents; "
                                "demo data goes into an empty database.",
                                existing),
                   existing);
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  run = g_new0 (Run, 1);
  run->self = self;
  run->db = pqs_store_get_handle (self->store);
  run->rand = g_rand_new_with_seed (self->seed);
  run->cancellable = cancellable;
  run->now_ms = (self->reference_time != 0 ? self->reference_time
                                           : g_get_real_time () / G_USEC_PER_SEC) * 1000;
  run->users = g_array_new (FALSE, FALSE, sizeof (DemoUser));
  run->authors = g_array_new (FALSE, FALSE, sizeof (gint64));
  run->reviewers = g_array_new (FALSE, FALSE, sizeof (gint64));
  run->visitors = g_array_new (FALSE, FALSE, sizeof (gint64));
  run->events = g_array_sized_new (FALSE, FALSE, sizeof (Event), self->documents * 4 + 1024);
  run->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  run->content = g_string_sized_new (1024);
  run->text = g_string_sized_new (256);
  run->answer = g_string_sized_new (256);
  run->criteria = g_string_sized_new (256);
  run->scratch = g_string_sized_new (256);
  run->outline = pqs_outline_new ();

  /* One hash for every demo account, computed once: argon2id is slow on purpose. */
  if (self->password == NULL)
    {
      self->password = generate_password ();
      self->password_generated = TRUE;
    }
  run->password_hash = g_malloc0 (crypto_pwhash_STRBYTES);
  if (crypto_pwhash_str (run->password_hash, self->password, strlen (self->password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, PQS_DEMO_SEEDER_ERROR, PQS_DEMO_SEEDER_ERROR_PASSWORD,
                           _("Not enough memory to hash the demo password."));
      return FALSE;
    }

  /* A bigger page cache for the bulk load keeps the indexes in memory. */
  if (!pqs_store_query_int64 (self->store, "PRAGMA cache_size", &cache_size, error) ||
      !pqs_store_exec (self->store, "PRAGMA cache_size = -131072", error))
    return FALSE;

  run->started = g_get_monotonic_time ();
  ok = pqs_store_transaction (self->store, seed_cb, run, error);
  g_debug ("Committed after %.2f s", (g_get_monotonic_time () - run->started) / 1e6);

  {
    g_autofree char *restore = g_strdup_printf ("PRAGMA cache_size = %" PRId64,
                                                cache_size);

    pqs_store_exec (self->store, restore, NULL);
  }

  if (!ok)
    reset_results (self);

  return ok;
}

/* GObject ------------------------------------------------------------------ */

static void
pqs_demo_seeder_finalize (GObject *object)
{
  PqsDemoSeeder *self = PQS_DEMO_SEEDER (object);

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  g_clear_object (&self->store);
  if (self->password != NULL)
    {
      sodium_memzero (self->password, strlen (self->password));
      g_clear_pointer (&self->password, g_free);
    }
  g_clear_pointer (&self->rare_ids, g_array_unref);

  G_OBJECT_CLASS (pqs_demo_seeder_parent_class)->finalize (object);
}

static void
pqs_demo_seeder_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PqsDemoSeeder *self = PQS_DEMO_SEEDER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_DOCUMENTS:
      g_value_set_uint (value, self->documents);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    case PROP_FORCE:
      g_value_set_boolean (value, self->force);
      break;
    case PROP_REFERENCE_TIME:
      g_value_set_int64 (value, self->reference_time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_demo_seeder_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PqsDemoSeeder *self = PQS_DEMO_SEEDER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_DOCUMENTS:
      pqs_demo_seeder_set_documents (self, g_value_get_uint (value));
      break;
    case PROP_SEED:
      pqs_demo_seeder_set_seed (self, g_value_get_uint (value));
      break;
    case PROP_FORCE:
      pqs_demo_seeder_set_force (self, g_value_get_boolean (value));
      break;
    case PROP_REFERENCE_TIME:
      pqs_demo_seeder_set_reference_time (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_demo_seeder_class_init (PqsDemoSeederClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_demo_seeder_finalize;
  object_class->get_property = pqs_demo_seeder_get_property;
  object_class->set_property = pqs_demo_seeder_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PqsDemoSeeder:documents:
   *
   * How many section documents to write, spread over about one standard per
   * 150 documents.
   */
  properties[PROP_DOCUMENTS] =
    g_param_spec_uint ("documents", NULL, NULL, 0, PQS_DEMO_SEEDER_MAX_DOCUMENTS, 1000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SEED] =
    g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT32, PQS_DEMO_SEEDER_DEFAULT_SEED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_FORCE] =
    g_param_spec_boolean ("force", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * PqsDemoSeeder:reference-time:
   *
   * "Now" for the demo data, in seconds since the epoch (0: the current
   * time). Every timestamp lies in the 14 months before it, so a fixed value
   * makes the whole database reproducible.
   */
  properties[PROP_REFERENCE_TIME] =
    g_param_spec_int64 ("reference-time", NULL, NULL, 0, G_MAXINT64 / 1000000, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_demo_seeder_init (PqsDemoSeeder *self)
{
  self->documents = 1000;
  self->seed = PQS_DEMO_SEEDER_DEFAULT_SEED;
  self->rare_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* API ---------------------------------------------------------------------- */

PqsDemoSeeder *
pqs_demo_seeder_new (PqsStore *store)
{
  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_DEMO_SEEDER, "store", store, NULL);
}

PqsStore *
pqs_demo_seeder_get_store (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), NULL);

  return self->store;
}

guint
pqs_demo_seeder_get_documents (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), 0);

  return self->documents;
}

void
pqs_demo_seeder_set_documents (PqsDemoSeeder *self,
                               guint          documents)
{
  g_return_if_fail (PQS_IS_DEMO_SEEDER (self));
  g_return_if_fail (documents <= PQS_DEMO_SEEDER_MAX_DOCUMENTS);

  if (self->documents == documents)
    return;

  self->documents = documents;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENTS]);
}

guint
pqs_demo_seeder_get_seed (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), 0);

  return self->seed;
}

void
pqs_demo_seeder_set_seed (PqsDemoSeeder *self,
                          guint          seed)
{
  g_return_if_fail (PQS_IS_DEMO_SEEDER (self));

  if (self->seed == seed)
    return;

  self->seed = seed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

gboolean
pqs_demo_seeder_get_force (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), FALSE);

  return self->force;
}

void
pqs_demo_seeder_set_force (PqsDemoSeeder *self,
                           gboolean       force)
{
  g_return_if_fail (PQS_IS_DEMO_SEEDER (self));

  force = !!force;
  if (self->force == force)
    return;

  self->force = force;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORCE]);
}

gint64
pqs_demo_seeder_get_reference_time (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), 0);

  return self->reference_time;
}

void
pqs_demo_seeder_set_reference_time (PqsDemoSeeder *self,
                                    gint64         unix_seconds)
{
  g_return_if_fail (PQS_IS_DEMO_SEEDER (self));
  /* The history reaches 14 months back; it must not go before 1970. */
  g_return_if_fail (unix_seconds == 0 || unix_seconds > 500 * 86400);

  if (self->reference_time == unix_seconds)
    return;

  self->reference_time = unix_seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFERENCE_TIME]);
}

/**
 * pqs_demo_seeder_set_password:
 * @self: a #PqsDemoSeeder
 * @password: (nullable): the password every demo account shares, or %NULL
 *   to have a random one generated by the next run
 */
void
pqs_demo_seeder_set_password (PqsDemoSeeder *self,
                              const char    *password)
{
  g_return_if_fail (PQS_IS_DEMO_SEEDER (self));
  g_return_if_fail (password == NULL || *password != '\0');

  if (self->password != NULL)
    sodium_memzero (self->password, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);
  self->password_generated = FALSE;
}

/**
 * pqs_demo_seeder_get_password:
 * @self: a #PqsDemoSeeder
 *
 * Returns: (nullable): the demo accounts' password (generated by the run
 *   when none was set)
 */
const char *
pqs_demo_seeder_get_password (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), NULL);

  return self->password;
}

gboolean
pqs_demo_seeder_get_password_generated (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), FALSE);

  return self->password_generated;
}

void
pqs_demo_seeder_set_progress_func (PqsDemoSeeder             *self,
                                   PqsDemoSeederProgressFunc  func,
                                   gpointer                   user_data,
                                   GDestroyNotify             destroy)
{
  g_return_if_fail (PQS_IS_DEMO_SEEDER (self));

  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);

  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
}

/**
 * pqs_demo_seeder_get_n_users:
 * @self: a #PqsDemoSeeder
 * @role: (nullable): "visitor", "user", "supervisor", "admin", or %NULL for all
 *
 * Returns: how many demo users the last run created (0 for users it found
 *   from an earlier run)
 */
guint
pqs_demo_seeder_get_n_users (PqsDemoSeeder *self,
                             const char    *role)
{
  guint total = 0;

  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), 0);

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (role == NULL || g_str_equal (role, role_names[i]))
      total += self->n_users_by_role[i];

  return total;
}

guint
pqs_demo_seeder_get_n_templates (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), 0);

  return self->n_templates;
}

guint
pqs_demo_seeder_get_n_standards (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), 0);

  return self->n_standards;
}

/**
 * pqs_demo_seeder_get_n_documents:
 * @self: a #PqsDemoSeeder
 * @status: (nullable): a workflow status, or %NULL for all
 *
 * Returns: how many documents the last run wrote (with @status)
 */
guint
pqs_demo_seeder_get_n_documents (PqsDemoSeeder *self,
                                 const char    *status)
{
  guint total = 0;

  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), 0);

  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (status == NULL || g_str_equal (status, status_names[i]))
      total += self->n_documents_by_status[i];

  return total;
}

guint64
pqs_demo_seeder_get_n_items (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), 0);

  return self->n_items;
}

guint64
pqs_demo_seeder_get_n_changes (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), 0);

  return self->n_changes;
}

guint64
pqs_demo_seeder_get_n_reviews (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), 0);

  return self->n_reviews;
}

guint64
pqs_demo_seeder_get_n_activities (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), 0);

  return self->n_activities;
}

/**
 * pqs_demo_seeder_get_rare_document_ids:
 * @self: a #PqsDemoSeeder
 *
 * Returns: (transfer none) (element-type gint64): the ids of the documents
 *   the last run wrote with %PQS_DEMO_SEEDER_RARE_WORD, ascending
 */
GArray *
pqs_demo_seeder_get_rare_document_ids (PqsDemoSeeder *self)
{
  g_return_val_if_fail (PQS_IS_DEMO_SEEDER (self), NULL);

  return self->rare_ids;
}
