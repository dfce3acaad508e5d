-- Writes of article graphs (graph/writer.py): one transaction holds one or more whole articles,
-- each statement taking the rows of all of them; and the reads the writer needs to resolve
-- what it writes against what is stored.
-- Labels and relationship types cannot be parameters, so there is one statement per entity
-- type, relation type and claim kind; the writer picks the statement by name. Entities are
-- merged with both labels at once: an entity id holds its type, so the node always has the
-- same two labels (and ArcadeDB refuses to add a label to a node under a unique constraint).

-- name: stored_article_ids
-- Which of these article ids are already stored (ingest skips them before NLP).
MATCH (a:Article)
WHERE a.id IN $ids
RETURN a.id AS id

-- name: latest_versions_by_url
-- The newest stored version of each URL: the article no other version points to.
MATCH (a:Article)
WHERE a.url IN $urls AND NOT EXISTS { (:Article)-[:NEW_VERSION_OF]->(a) }
RETURN a.url AS url, a.id AS id

-- name: count_signed_articles
-- How many stored articles have a MinHash signature (is the writer's index up to date?).
MATCH (a:Article)
WHERE a.minhash IS NOT NULL
RETURN count(a) AS count

-- name: article_signatures
-- MinHash signatures of the stored articles, loaded into the near-duplicate index.
MATCH (a:Article)
WHERE a.minhash IS NOT NULL
RETURN a.id AS id, a.minhash AS minhash, a.url AS url, a.ingested_at AS ingested_at

-- name: article_signatures_since
-- Signatures of the articles stored since $since: what another writer added since the last load.
MATCH (a:Article)
WHERE a.ingested_at >= $since AND a.minhash IS NOT NULL
RETURN a.id AS id, a.minhash AS minhash, a.url AS url, a.ingested_at AS ingested_at

-- name: stored_entities
-- Stored entities with these ids, with what the writer merges into them.
MATCH (e:Entity)
WHERE e.id IN $ids
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, e.alias_keys AS alias_keys,
       e.given_key AS given_key, e.surname_key AS surname_key, e.mention_count AS mention_count,
       e.first_seen AS first_seen, e.last_seen AS last_seen

-- name: persons_by_surname
-- Stored people whose surname key is one of $keys (candidates for "Kirby" -> "John Kirby").
MATCH (e:Person)
WHERE e.surname_key IN $keys
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, e.alias_keys AS alias_keys,
       e.given_key AS given_key, e.surname_key AS surname_key, e.mention_count AS mention_count,
       e.first_seen AS first_seen, e.last_seen AS last_seen

-- name: organizations_by_alias_key
-- Stored organisations known under one of these folded names or aliases.
MATCH (e:Organization)
WHERE any(key IN e.alias_keys WHERE key IN $keys)
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, e.alias_keys AS alias_keys,
       e.given_key AS given_key, e.surname_key AS surname_key, e.mention_count AS mention_count,
       e.first_seen AS first_seen, e.last_seen AS last_seen

-- name: stored_troop_claims
-- Claims with a troop count published from $since to $until, with their quantities: what new
-- claims are compared with (stance links only claims published within a window of each other,
-- so the cost follows the window, not the whole store).
MATCH (c:Claim)
WHERE c.published >= $since AND c.published <= $until AND c.has_troop_count = true
MATCH (c)-[:HAS_QUANTITY]->(quantity:Quantity)
RETURN c {.*} AS claim, collect(quantity {.*}) AS quantities

-- name: claims_of_articles
-- The claims of these articles with the keys that find duplicates (same speaker, same numbers).
MATCH (c:Claim)
WHERE c.article_id IN $article_ids
RETURN c.id AS id, c.article_id AS article_id, c.speaker_key AS speaker_key,
       c.numbers_key AS numbers_key, c.content_text AS content_text, c.duplicate_of AS duplicate_of

-- name: merge_articles
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a += row.props

-- name: merge_sentences
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id})
MERGE (s:Sentence {id: row.id})
SET s += row.props
MERGE (a)-[:HAS_SENTENCE]->(s)

-- name: merge_entities_person
UNWIND $rows AS row
MERGE (e:Entity:Person {id: row.id})
SET e += row.props

-- name: merge_entities_organization
UNWIND $rows AS row
MERGE (e:Entity:Organization {id: row.id})
SET e += row.props

-- name: merge_entities_state
UNWIND $rows AS row
MERGE (e:Entity:State {id: row.id})
SET e += row.props

-- name: merge_entities_place
UNWIND $rows AS row
MERGE (e:Entity:Place {id: row.id})
SET e += row.props

-- name: merge_entities_unit
UNWIND $rows AS row
MERGE (e:Entity:Unit {id: row.id})
SET e += row.props

-- name: merge_entities_event
UNWIND $rows AS row
MERGE (e:Entity:Event {id: row.id})
SET e += row.props

-- name: merge_entities_source
UNWIND $rows AS row
MERGE (e:Entity:Source {id: row.id})
SET e += row.props

-- name: merge_mentions
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id}), (e:Entity {id: row.entity_id})
MERGE (e)-[m:MENTIONED_IN]->(a)
SET m += row.props

-- name: merge_relations_deployed_to
UNWIND $rows AS row
MATCH (s:Entity {id: row.source}), (t:Entity {id: row.target})
MERGE (s)-[r:DEPLOYED_TO {id: row.id}]->(t)
SET r += row.props

-- name: merge_relations_moved_from
UNWIND $rows AS row
MATCH (s:Entity {id: row.source}), (t:Entity {id: row.target})
MERGE (s)-[r:MOVED_FROM {id: row.id}]->(t)
SET r += row.props

-- name: merge_relations_training_at
UNWIND $rows AS row
MATCH (s:Entity {id: row.source}), (t:Entity {id: row.target})
MERGE (s)-[r:TRAINING_AT {id: row.id}]->(t)
SET r += row.props

-- name: merge_relations_part_of
UNWIND $rows AS row
MATCH (s:Entity {id: row.source}), (t:Entity {id: row.target})
MERGE (s)-[r:PART_OF {id: row.id}]->(t)
SET r += row.props

-- name: merge_relations_holds_role
UNWIND $rows AS row
MATCH (s:Entity {id: row.source}), (t:Entity {id: row.target})
MERGE (s)-[r:HOLDS_ROLE {id: row.id}]->(t)
SET r += row.props

-- name: merge_relations_located_in
UNWIND $rows AS row
MATCH (s:Entity {id: row.source}), (t:Entity {id: row.target})
MERGE (s)-[r:LOCATED_IN {id: row.id}]->(t)
SET r += row.props

-- name: merge_relations_allied_with
UNWIND $rows AS row
MATCH (s:Entity {id: row.source}), (t:Entity {id: row.target})
MERGE (s)-[r:ALLIED_WITH {id: row.id}]->(t)
SET r += row.props

-- name: merge_relations_cooperates_with
UNWIND $rows AS row
MATCH (s:Entity {id: row.source}), (t:Entity {id: row.target})
MERGE (s)-[r:COOPERATES_WITH {id: row.id}]->(t)
SET r += row.props

-- name: merge_relations_participated_in
UNWIND $rows AS row
MATCH (s:Entity {id: row.source}), (t:Entity {id: row.target})
MERGE (s)-[r:PARTICIPATED_IN {id: row.id}]->(t)
SET r += row.props

-- name: merge_relations_member_of
UNWIND $rows AS row
MATCH (s:Entity {id: row.source}), (t:Entity {id: row.target})
MERGE (s)-[r:MEMBER_OF {id: row.id}]->(t)
SET r += row.props

-- name: merge_claims
-- Claim nodes and the sentence each comes from.
UNWIND $rows AS row
MERGE (c:Claim {id: row.id})
SET c += row.props
WITH c, row
MATCH (s:Sentence {id: row.sentence_id})
MERGE (c)-[:IN]->(s)

-- name: merge_speaker_stated
UNWIND $rows AS row
MATCH (s:Entity {id: row.speaker}), (c:Claim {id: row.claim_id})
MERGE (s)-[r:STATED]->(c)
SET r.article_id = row.article_id

-- name: merge_speaker_assessed
UNWIND $rows AS row
MATCH (s:Entity {id: row.speaker}), (c:Claim {id: row.claim_id})
MERGE (s)-[r:ASSESSED]->(c)
SET r.article_id = row.article_id

-- name: merge_speaker_confirmed
UNWIND $rows AS row
MATCH (s:Entity {id: row.speaker}), (c:Claim {id: row.claim_id})
MERGE (s)-[r:CONFIRMED]->(c)
SET r.article_id = row.article_id

-- name: merge_speaker_denied
UNWIND $rows AS row
MATCH (s:Entity {id: row.speaker}), (c:Claim {id: row.claim_id})
MERGE (s)-[r:DENIED]->(c)
SET r.article_id = row.article_id

-- name: merge_speaker_warned
UNWIND $rows AS row
MATCH (s:Entity {id: row.speaker}), (c:Claim {id: row.claim_id})
MERGE (s)-[r:WARNED]->(c)
SET r.article_id = row.article_id

-- name: merge_speaker_reported
UNWIND $rows AS row
MATCH (s:Entity {id: row.speaker}), (c:Claim {id: row.claim_id})
MERGE (s)-[r:REPORTED]->(c)
SET r.article_id = row.article_id

-- name: merge_claim_about
UNWIND $rows AS row
MATCH (c:Claim {id: row.claim_id}), (e:Entity {id: row.entity_id})
MERGE (c)-[:ABOUT]->(e)

-- name: merge_quantities
UNWIND $rows AS row
MATCH (c:Claim {id: row.claim_id})
MERGE (q:Quantity {id: row.id})
SET q += row.props
MERGE (c)-[:HAS_QUANTITY]->(q)

-- name: merge_quantity_counts
UNWIND $rows AS row
MATCH (q:Quantity {id: row.quantity_id}), (e:Entity {id: row.entity_id})
MERGE (q)-[:COUNTS]->(e)

-- name: merge_links_conflicts_with
UNWIND $rows AS row
MATCH (a:Claim {id: row.source}), (b:Claim {id: row.target})
MERGE (a)-[r:CONFLICTS_WITH]->(b)
SET r.reason = row.reason

-- name: merge_links_corroborates
UNWIND $rows AS row
MATCH (a:Claim {id: row.source}), (b:Claim {id: row.target})
MERGE (a)-[r:CORROBORATES]->(b)
SET r.reason = row.reason

-- name: merge_links_denies
UNWIND $rows AS row
MATCH (a:Claim {id: row.source}), (b:Claim {id: row.target})
MERGE (a)-[r:DENIES]->(b)
SET r.reason = row.reason

-- name: merge_same_story
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id}), (b:Article {id: row.other_id})
MERGE (a)-[r:SAME_STORY]->(b)
SET r.similarity = row.similarity

-- name: merge_new_versions
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id}), (b:Article {id: row.previous_id})
MERGE (a)-[:NEW_VERSION_OF]->(b)

-- name: mark_articles_stored
-- Last statement of a write transaction that stores articles: adds the hashes of their ids
-- ($digest, from graph/writer.py) to the store's digest of stored articles. Readers that keep
-- data derived from the store (the API's claim index) notice new articles, whichever process
-- wrote them, by the digest changing; the same articles give the same digest however batched.
MERGE (d:StoreDigest {id: 'articles'})
SET d.digest = (coalesce(d.digest, 0) + $digest) % $modulus
