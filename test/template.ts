/** The database every test database is copied from: migrated once per run, so each copy starts at head. */
export const TEMPLATE_DATABASE = "inspector_test_template";
