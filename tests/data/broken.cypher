-- Fixture for tests/test_cypher_lint.py: the linter must reject every `broken_*` statement
-- and accept `valid_control`.

-- name: valid_control
MATCH (e:Entity {id: $id})-[:MENTIONED_IN]->(a:Article)
RETURN e.name AS name, count(a) AS articles

-- name: broken_unclosed_pattern
MATCH (e:Entity {id: $id}
RETURN e

-- name: broken_unknown_procedure
CALL apoc.create.addLabels($ids, ['Extra']) YIELD node
RETURN node

-- name: broken_unknown_function
MATCH (e:Entity) RETURN made_up_function(e.name) AS x

-- name: broken_two_statements
MATCH (e:Entity) RETURN e;
MATCH (a:Article) RETURN a

-- name: broken_misspelt_clause
MATCH (e:Entity) RETRUN e
