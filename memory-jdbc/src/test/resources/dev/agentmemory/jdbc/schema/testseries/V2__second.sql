CREATE TABLE series_test_b (id INTEGER NOT NULL PRIMARY KEY);
INSERT INTO series_test_b (id) VALUES (7);
