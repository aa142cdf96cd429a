-- A component's first table.
CREATE TABLE series_test_a (
    id INTEGER NOT NULL PRIMARY KEY
);
