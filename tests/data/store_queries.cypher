-- Statements of tests/test_store.py (test data only; ids start with 'ngtest:' so that a run
-- against a real Neo4j touches nothing else).

-- name: put_person
MERGE (e:Entity:Person {id: $id})
SET e.name = $name, e.type = 'Person', e.search_text = $search_text, e.first_seen = date($first_seen)

-- name: put_state
MERGE (e:Entity:State {id: $id})
SET e.name = $name, e.type = 'State', e.search_text = $search_text

-- name: create_entity
CREATE (e:Entity {id: $id, name: $name})

-- name: link_allies
MATCH (a:Entity {id: $a}), (b:Entity {id: $b})
MERGE (a)-[r:ALLIED_WITH {id: $id}]->(b)
SET r.confidence = 0.9

-- name: entity_with_labels
MATCH (e:Entity {id: $id})
RETURN e, labels(e) AS labels, e.first_seen AS first_seen

-- name: path_between
MATCH p = (a:Entity {id: $a})-[:ALLIED_WITH]->(b:Entity {id: $b})
RETURN p, relationships(p)[0] AS rel

-- name: temporal_values
RETURN date($day) AS day, datetime($moment) AS moment, duration('P2DT3H') AS duration,
       [date($day)] AS days, {day: date($day)} AS nested

-- name: count_test_entities
MATCH (e:Entity) WHERE e.id STARTS WITH 'ngtest:'
RETURN count(e) AS n

-- name: delete_test_data
MATCH (n) WHERE n.id STARTS WITH 'ngtest:'
DETACH DELETE n
