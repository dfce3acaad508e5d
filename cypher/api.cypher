-- Reads of the REST API and its CLI mirrors (api/reads.py). Parameters only; optional filters
-- are passed as null. A lookup by a property that may be null is written {id: coalesce(x, '')}:
-- ArcadeDB scans every node for {id: null} instead of using the index. Claims with duplicate_of set repeat an earlier claim of the same story
-- (graph/writer.py) and are left out of who-said-what unless asked for.

-- name: api_entities_by_ids
UNWIND $ids AS entity_id
MATCH (e:Entity {id: entity_id})
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, e.alias_keys AS alias_keys,
       e.name_key AS name_key, e.mention_count AS mention_count

-- name: api_entities_by_key
-- Entities whose folded name, or one of whose folded aliases, is exactly $key.
MATCH (e:Entity)
WHERE e.name_key = $key OR $key IN e.alias_keys
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, e.alias_keys AS alias_keys,
       e.name_key AS name_key, e.mention_count AS mention_count
ORDER BY e.mention_count DESC, e.id

-- name: api_entities_scan
-- Search without a full-text index: a folded name or alias starting with $key, or holding a
-- word that starts with it.
MATCH (e:Entity)
WHERE ($type IS NULL OR e.type = $type)
  AND any(k IN coalesce(e.alias_keys, [e.name_key]) WHERE k STARTS WITH $key OR k CONTAINS $word)
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, e.alias_keys AS alias_keys,
       e.name_key AS name_key, e.mention_count AS mention_count
ORDER BY e.mention_count DESC, e.id
LIMIT $limit

-- name: api_affiliated_ids
-- Entities (units, unnamed sources) that belong to one of $ids.
MATCH (e:Entity)
WHERE e.affiliation IN $ids
RETURN e.id AS id

-- name: api_entity_profile
MATCH (e:Entity {id: $id})
OPTIONAL MATCH (e)-[m:MENTIONED_IN]->(:Article)
WITH e, sum(m.count) AS mentions, count(m) AS articles
OPTIONAL MATCH (affiliation:Entity {id: coalesce(e.affiliation, '')})
RETURN e {.*} AS entity, mentions, articles,
       affiliation {.id, .name, .type} AS affiliation,
       COUNT { MATCH (e)-[:STATED|ASSESSED|CONFIRMED|DENIED|WARNED|REPORTED]->(c:Claim) WHERE c.duplicate_of IS NULL } AS claims_made,
       COUNT { MATCH (c:Claim)-[:ABOUT]->(e) WHERE c.duplicate_of IS NULL } AS claims_about,
       [(e)-[r:HOLDS_ROLE]->(o:Entity) | {title: r.title, id: o.id, name: o.name, type: o.type, article_id: r.article_id}] AS roles

-- name: api_entity_neighbours
-- Entities linked to $id by typed relations, most linked first.
MATCH (e:Entity {id: $id})-[r:DEPLOYED_TO|MOVED_FROM|TRAINING_AT|PART_OF|HOLDS_ROLE|LOCATED_IN|ALLIED_WITH|COOPERATES_WITH|PARTICIPATED_IN|MEMBER_OF]-(n:Entity)
WHERE n.id <> e.id
RETURN n.id AS id, n.name AS name, n.type AS type, count(r) AS relations, collect(DISTINCT type(r)) AS types
ORDER BY relations DESC, id
LIMIT $limit

-- name: api_entity_claim_neighbours
-- Entities linked to $id through claims: who spoke about it, and what its claims are about.
MATCH (e:Entity {id: $id})-[first]-(c:Claim)-[second]-(n:Entity)
WHERE n.id <> e.id AND c.duplicate_of IS NULL
  AND type(first) IN ['STATED', 'ASSESSED', 'CONFIRMED', 'DENIED', 'WARNED', 'REPORTED', 'ABOUT']
  AND type(second) IN ['STATED', 'ASSESSED', 'CONFIRMED', 'DENIED', 'WARNED', 'REPORTED', 'ABOUT']
  AND type(first) <> type(second)
RETURN n.id AS id, n.name AS name, n.type AS type, count(DISTINCT c) AS relations,
       collect(DISTINCT CASE WHEN type(first) = 'ABOUT' THEN type(second) ELSE 'ABOUT' END) AS types
ORDER BY relations DESC, id
LIMIT $limit

-- name: api_store_digest
-- The digest of the stored articles (mark_articles_stored): data derived from the store
-- (api/claim_index.py) is rebuilt when it changes. Null before the first article.
OPTIONAL MATCH (d:StoreDigest {id: 'articles'})
RETURN d.digest AS digest

-- name: api_claim_index
-- What the filters and the time order of the who-said-what table look at, for every claim
-- (api/claim_index.py).
MATCH (c:Claim)
RETURN c.id AS id, c.published AS published, c.article_id AS article_id, c.content_start AS start,
       c.kind AS kind, c.duplicate_of IS NOT NULL AS duplicate, c.has_troop_count AS troops,
       c.speaker_entity_id AS speaker_id, coalesce(c.speaker_name, c.speaker_text, '') AS speaker_text,
       c.about AS about

-- name: api_claim_index_quantities
-- The numbers and target times of every quantity, for the claim filters min_value, max_value,
-- since and until.
MATCH (q:Quantity)
WHERE q.claim_id IS NOT NULL
RETURN q.claim_id AS claim_id, q.is_troop_count AS troops, coalesce(q.high, q.value) AS high,
       coalesce(q.low, q.value) AS low, q.target_time_start AS time_start,
       coalesce(q.target_time_end, q.target_time_start) AS time_end

-- name: api_claim_rows
-- Everything the who-said-what table shows for these claims, as one list (see
-- api_graph_index_entities). The values are named in WITH first: ArcadeDB flattens a map literal
-- whose first value is a map projection to that projection.
UNWIND $ids AS claim_id
MATCH (c:Claim {id: claim_id})
OPTIONAL MATCH (a:Article {id: coalesce(c.article_id, '')})
OPTIONAL MATCH (speaker:Entity {id: coalesce(c.speaker_entity_id, '')})
OPTIONAL MATCH (c)-[:IN]->(s:Sentence)
WITH c {.id, .kind, .direct, .sentence, .confidence, .article_id, .extractor, .extractor_version,
          .speaker_text, .speaker_start, .speaker_end, .speaker_name, .speaker_entity_id,
          .cue_text, .cue_start, .cue_end, .cue_lemma, .cue_negated,
          .content_text, .content_start, .content_end, .published} AS claim,
       a {.id, .title, .outlet, .published, .url} AS article,
       speaker {.id, .name, .type} AS speaker,
       CASE WHEN speaker IS NULL THEN [] ELSE
         [(speaker)-[r:HOLDS_ROLE]->(o:Entity) | {title: r.title, organization: o.name, confidence: r.confidence}] END AS roles,
       s {.index, .start, .end, .text} AS sentence,
       [(c)-[:HAS_QUANTITY]->(q:Quantity) | q {.id, .text, .value, .low, .high, .qualifier, .counted, .is_troop_count,
          .start, .end, .target_time_text, .target_time_start, .target_time_end,
          unit_entity_id: head([(q)-[:COUNTS]->(u:Entity) | u.id])}] AS quantities,
       [(c)-[:ABOUT]->(e:Entity) | e {.id, .name, .type}] AS about,
       [(c)-[:CONFLICTS_WITH]-(o:Claim) | coalesce(o.duplicate_of, o.id)] AS conflicts_with,
       [(c)-[:CORROBORATES]-(o:Claim) | coalesce(o.duplicate_of, o.id)] AS corroborated_by,
       [(c)-[:DENIES]->(o:Claim) | coalesce(o.duplicate_of, o.id)] AS denies,
       [(c)<-[:DENIES]-(o:Claim) | coalesce(o.duplicate_of, o.id)] AS denied_by,
       [(a)<-[:SAME_STORY|NEW_VERSION_OF]-(b:Article) | b.id] AS later_same_story
RETURN collect({claim: claim, article: article, speaker: speaker, roles: roles, sentence: sentence,
                quantities: quantities, about: about, conflicts_with: conflicts_with,
                corroborated_by: corroborated_by, denies: denies, denied_by: denied_by,
                later_same_story: later_same_story}) AS rows

-- name: api_claim_copies
-- Claims that repeat one of $ids in a near-duplicate article, by article.
UNWIND $article_ids AS article_id
MATCH (d:Claim {article_id: article_id})
WHERE d.duplicate_of IN $ids
RETURN d.duplicate_of AS id, d.article_id AS article_id

-- name: api_claim_links
-- Disagreements between claims (different numbers, denials), duplicates mapped to the claim they repeat.
MATCH (a:Claim)-[l:CONFLICTS_WITH|DENIES]->(b:Claim)
RETURN coalesce(a.duplicate_of, a.id) AS source, coalesce(b.duplicate_of, b.id) AS target,
       type(l) AS type, l.reason AS reason

-- name: api_entity_nodes
-- Node properties of these entities, as one list (see api_graph_index_entities).
UNWIND $ids AS node_id
MATCH (e:Entity {id: node_id})
RETURN collect({id: e.id, name: e.name, type: e.type, aliases: e.aliases, latitude: e.latitude,
                longitude: e.longitude, country: e.country, affiliation: e.affiliation,
                mention_count: e.mention_count, first_seen: e.first_seen, last_seen: e.last_seen,
                event_kind: e.event_kind, time_text: e.time_text}) AS rows

-- name: api_claim_nodes
-- Node properties of these claims, as one list (see api_graph_index_entities). The quantities are
-- written as literal maps: ArcadeDB mangles a map projection nested in a collect()ed map.
UNWIND $ids AS node_id
MATCH (c:Claim {id: node_id})
OPTIONAL MATCH (a:Article {id: coalesce(c.article_id, '')})
RETURN collect({id: c.id, kind: c.kind, speaker: coalesce(c.speaker_name, c.speaker_text),
                speaker_id: c.speaker_entity_id, content: c.content_text, direct: c.direct,
                cue: c.cue_text, negated: c.cue_negated,
                confidence: c.confidence, published: c.published, article_id: c.article_id,
                article_title: a.title, outlet: a.outlet,
                quantities: [(c)-[:HAS_QUANTITY]->(q:Quantity) | {text: q.text, value: q.value, low: q.low, high: q.high,
                             qualifier: q.qualifier, counted: q.counted,
                             is_troop_count: q.is_troop_count, start: q.start}]}) AS rows

-- name: api_graph_index_entities
-- Every entity with the properties a subgraph node shows (api/graph_index.py), as one list:
-- one record per row costs the driver more than decoding the row.
MATCH (e:Entity)
RETURN collect({id: e.id, name: e.name, type: e.type, aliases: e.aliases, latitude: e.latitude,
                longitude: e.longitude, country: e.country, affiliation: e.affiliation,
                mention_count: e.mention_count, first_seen: e.first_seen, last_seen: e.last_seen,
                event_kind: e.event_kind, time_text: e.time_text}) AS rows

-- name: api_graph_index_claims
-- Every claim a subgraph can reach (duplicates never are), with what its node shows (its
-- article's title and outlet come from api_graph_index_articles) and the text of its sentence,
-- the evidence of its edges.
MATCH (c:Claim)
WHERE c.duplicate_of IS NULL
RETURN collect({id: c.id, kind: c.kind, speaker: coalesce(c.speaker_name, c.speaker_text),
                speaker_id: c.speaker_entity_id, content: c.content_text, direct: c.direct,
                cue: c.cue_text, negated: c.cue_negated,
                confidence: c.confidence, published: c.published, article_id: c.article_id,
                quantities: [(c)-[:HAS_QUANTITY]->(q:Quantity) | {text: q.text, value: q.value, low: q.low, high: q.high,
                             qualifier: q.qualifier, counted: q.counted,
                             is_troop_count: q.is_troop_count, start: q.start}],
                sentence_text: head([(c)-[:IN]->(s:Sentence) | s.text])}) AS rows

-- name: api_graph_index_relationships
-- Every relationship of the types $rel_types between entities and claims, with its properties.
MATCH (a)-[r]->(b)
WHERE type(r) IN $rel_types AND (a:Entity OR a:Claim) AND (b:Entity OR b:Claim)
RETURN collect({source: a.id, target: b.id, type: type(r), props: properties(r), element_id: elementId(r)}) AS rows

-- name: api_graph_index_articles
-- What evidence entries show of every article.
MATCH (a:Article)
RETURN collect({id: a.id, title: a.title, outlet: a.outlet, published: a.published, url: a.url}) AS rows

-- name: api_shortest_paths
-- Shortest paths between two entities over typed relations and claims (speaker -> claim -> subject).
-- The bound is the largest max_hops the API accepts; shorter limits are applied to the result.
MATCH (a:Entity {id: $source}), (b:Entity {id: $target})
MATCH p = allShortestPaths((a)-[:DEPLOYED_TO|MOVED_FROM|TRAINING_AT|PART_OF|HOLDS_ROLE|LOCATED_IN|ALLIED_WITH|COOPERATES_WITH|PARTICIPATED_IN|MEMBER_OF|STATED|ASSESSED|CONFIRMED|DENIED|WARNED|REPORTED|ABOUT*..6]-(b))
RETURN [n IN nodes(p) | n {.id, .name, .type, .kind, .content_text, .article_id, .sentence, .confidence, .speaker_name}] AS nodes,
       [r IN relationships(p) | {type: type(r), source: startNode(r).id, target: endNode(r).id, props: properties(r)}] AS rels
LIMIT $limit

-- name: api_articles_by_ids
-- As one list (see api_graph_index_entities).
UNWIND $ids AS article_id
MATCH (a:Article {id: article_id})
RETURN collect({id: a.id, title: a.title, outlet: a.outlet, published: a.published, url: a.url}) AS rows

-- name: api_sentences_by_ids
-- As one list (see api_graph_index_entities).
UNWIND $ids AS sentence_id
MATCH (s:Sentence {id: sentence_id})
RETURN collect({id: s.id, text: s.text}) AS rows

-- name: api_timeline_claims
-- Claims an entity made or that are about it.
MATCH (e:Entity {id: $id})-[r:STATED|ASSESSED|CONFIRMED|DENIED|WARNED|REPORTED|ABOUT]-(c:Claim)
WHERE c.duplicate_of IS NULL
RETURN DISTINCT c.id AS id

-- name: api_timeline_relations
-- Typed relations of an entity, with the article they come from.
MATCH (e:Entity {id: $id})-[r:DEPLOYED_TO|MOVED_FROM|TRAINING_AT|PART_OF|HOLDS_ROLE|LOCATED_IN|ALLIED_WITH|COOPERATES_WITH|PARTICIPATED_IN|MEMBER_OF]-(o:Entity)
OPTIONAL MATCH (a:Article {id: coalesce(r.article_id, '')})
RETURN type(r) AS type, startNode(r) = e AS outgoing, o {.id, .name, .type, .time_text, .time_start, .time_end} AS other,
       properties(r) AS props, a {.id, .title, .outlet, .published, .url} AS article

-- name: api_article_ids
-- One page of article ids, newest first, and how many match in all.
MATCH (a:Article)
WHERE ($outlet IS NULL OR a.outlet = $outlet)
  AND ($since IS NULL OR a.published >= $since)
  AND ($until IS NULL OR a.published <= $until)
  AND ($q IS NULL OR toLower(a.title) CONTAINS $q)
WITH a
ORDER BY a.published DESC, a.id
WITH collect(a.id) AS ids
RETURN size(ids) AS total, ids[$skip..$skip + $limit] AS page

-- name: api_article_summaries
UNWIND $ids AS article_id
MATCH (a:Article {id: article_id})
RETURN a.id AS id, a.title AS title, a.outlet AS outlet, a.published AS published, a.url AS url,
       a.author AS author,
       COUNT { MATCH (c:Claim {article_id: a.id}) } AS claims,
       COUNT { MATCH (a)<-[:MENTIONED_IN]-(:Entity) } AS entities

-- name: api_article
MATCH (a:Article {id: $id})
RETURN a {.id, .title, .text, .url, .published, .outlet, .author, .source_path, .normalisation, .ingested_at} AS article,
       COUNT { MATCH (a)-[:HAS_SENTENCE]->(:Sentence) } AS sentences,
       [(a)-[:SAME_STORY]-(b:Article) | b.id] AS same_story,
       [(a)-[:NEW_VERSION_OF]-(b:Article) | b.id] AS versions

-- name: api_article_entities
MATCH (a:Article {id: $id})<-[m:MENTIONED_IN]-(e:Entity)
RETURN e.id AS id, e.name AS name, e.type AS type, m.count AS mentions
ORDER BY mentions DESC, id

-- name: api_article_relations
-- Typed relations extracted from one article.
MATCH (a:Article {id: $id})<-[:MENTIONED_IN]-(s:Entity)-[r]->(t:Entity)
WHERE r.article_id = $id
RETURN r.id AS id, type(r) AS type, s {.id, .name, .type} AS source, t {.id, .name, .type} AS target,
       properties(r) AS props
ORDER BY r.start, type

-- name: api_article_claim_ids
MATCH (c:Claim {article_id: $id})
RETURN c.id AS id
ORDER BY c.content_start, c.id
