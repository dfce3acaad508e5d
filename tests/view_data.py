"""Hand-made subgraphs for the network view's tests: the canonical story in miniature, with
hostile text (script tags, event handlers) in names, aliases, quotes, titles and outlets."""
from __future__ import annotations

from graph.model import GraphEdge, GraphNode, Subgraph

SCRIPT_NAME = "<script>window.__xss = 'name'</script>Kim Ok <b>Hui</b>"
IMG_ALIAS = '<img src=x onerror="window.__xss = \'alias\'">'
IMG_QUOTE = '<img src=x onerror="window.__xss = \'quote\'"> 3,000 troops <script>window.__xss = \'quote\'</script>'
SCRIPT_TITLE = "</script><script>window.__xss = 'title'</script>"
HOSTILE_OUTLET = "<i onmouseover=\"window.__xss = 'outlet'\">Evil</i> Wire"


def evidence(text, article="a1", title="US says 3,000 North Korean troops in Russia", outlet="Wire", date="2024-10-23"):
    return {"text": text, "article_id": article, "article_title": title, "outlet": outlet, "published": date}


def story_subgraph() -> Subgraph:
    kirby = "person:john-kirby"
    nodes = [
        GraphNode(id=kirby, label="John Kirby", type="Person", properties={"aliases": ["Kirby"], "mention_count": 5}),
        GraphNode(id="organization:white-house", label="White House", type="Organization", properties={"mention_count": 2}),
        GraphNode(id="state:north-korea", label="North Korea", type="State", properties={"aliases": ["DPRK"], "mention_count": 12}),
        GraphNode(id="state:russia", label="Russia", type="State", properties={"mention_count": 9}),
        GraphNode(id="place:vladivostok", label="Vladivostok", type="Place", properties={"mention_count": 3}),
        GraphNode(id="place:wonsan", label="Wonsan", type="Place", properties={"mention_count": 2}),
        GraphNode(id="unit:north-korea:troops", label="North Korean troops", type="Unit", properties={"mention_count": 8}),
        GraphNode(id="event:deployment", label="deployment to Russia", type="Event", properties={"time_text": "October 2024"}),
        GraphNode(id="source:senior-official", label="a senior official", type="Source"),
        GraphNode(
            id="claim:kirby-3000",
            label="Kirby: at least 3,000",
            type="Claim",
            properties={
                "kind": "STATED",
                "content_text": "at least 3,000 North Korean soldiers moved to eastern Russia",
                "quantities": [{"value": 3000, "qualifier": "at least", "counted": "troops"}],
                "article_id": "a1",
                "outlet": "Wire",
                "published": "2024-10-23",
            },
        ),
        GraphNode(
            id="claim:fake-news",
            label="Russia: fake news",
            type="Claim",
            properties={"kind": "DENIED", "content_text": "fake news", "article_id": "a2", "outlet": "Agency", "published": "2024-10-25"},
        ),
        GraphNode(id="person:hostile", label=SCRIPT_NAME, type="Person", properties={"aliases": [IMG_ALIAS]}),
        GraphNode(
            id="claim:hostile",
            label="hostile quote",
            type="Claim",
            properties={"kind": "STATED", "content_text": IMG_QUOTE, "article_id": "a<3>", "outlet": HOSTILE_OUTLET, "published": "2024-11-02"},
        ),
        GraphNode(id="a1", label="US says 3,000 North Korean troops in Russia", type="Article", properties={"outlet": "Wire", "published": "2024-10-23"}),
    ]
    kirby_said = evidence('"At least 3,000 North Korean soldiers" moved to eastern Russia, Kirby said.')
    edges = [
        GraphEdge(id="e-stated", source=kirby, target="claim:kirby-3000", type="STATED", evidence=[kirby_said]),
        GraphEdge(id="e-about", source="claim:kirby-3000", target="unit:north-korea:troops", type="ABOUT"),
        GraphEdge(
            id="e-deployed",
            source="unit:north-korea:troops",
            target="place:vladivostok",
            type="DEPLOYED_TO",
            properties={"count": 3000, "qualifier": "at least"},
            evidence=[evidence("The troops were moved by sea from Wonsan to Vladivostok.")],
        ),
        GraphEdge(id="e-moved", source="unit:north-korea:troops", target="place:wonsan", type="MOVED_FROM",
                  evidence=[evidence("The troops were moved by sea from Wonsan to Vladivostok.")]),
        GraphEdge(id="e-role", source=kirby, target="organization:white-house", type="HOLDS_ROLE",
                  properties={"title": "national security spokesman"},
                  evidence=[evidence("White House national security spokesman John Kirby said.")]),
        GraphEdge(id="e-denied", source="state:russia", target="claim:fake-news", type="DENIED",
                  evidence=[evidence("Russia's foreign ministry called the reports fake news.", "a2", "Moscow denies", "Agency", "2024-10-25")]),
        GraphEdge(id="e-conflict", source="claim:fake-news", target="claim:kirby-3000", type="CONFLICTS_WITH",
                  properties={"reason": "denies the deployment the other claim counts"}),
        GraphEdge(id="e-part", source="unit:north-korea:troops", target="state:north-korea", type="PART_OF",
                  evidence=[evidence("North Korean troops were seen in Vladivostok.")]),
        GraphEdge(id="e-event", source="unit:north-korea:troops", target="event:deployment", type="PARTICIPATED_IN",
                  evidence=[evidence("The deployment began in October.")]),
        GraphEdge(id="e-assessed", source="source:senior-official", target="claim:kirby-3000", type="ASSESSED",
                  evidence=[evidence("A senior official assessed the number.")]),
        GraphEdge(id="e-mentioned", source=kirby, target="a1", type="MENTIONED_IN"),
        GraphEdge(id="e-allied", source="state:north-korea", target="state:russia", type="ALLIED_WITH",
                  evidence=[evidence("The two allies signed a pact.", date="2024-06-19")]),
        GraphEdge(id="e-hostile", source="person:hostile", target="claim:hostile", type="STATED",
                  evidence=[evidence(IMG_QUOTE + " said " + SCRIPT_NAME, "a<3>", SCRIPT_TITLE, HOSTILE_OUTLET, "2024-11-02")]),
    ]
    return Subgraph(nodes=nodes, edges=edges)
