"""Reads partnernet's network exports back as graph tools do, checks the
GraphML schema's rules, and prints what each reader saw as JSON.

Usage: python3 read_exports.py RESULTS_FOLDER

GraphML rules checked (from graphml.xsd): node, edge and key ids, edge ends
and attr.name are XML name tokens (NMTOKEN); attr.type is one of boolean,
int, long, float, double, string; every <data> names a key declared for its
element. Then network.graphml is read by NetworkX and python-igraph,
network.gexf by NetworkX (igraph has no GEXF reader) and network.json by
NetworkX's node_link_graph. Output: {"graphml": {org_id: attributes},
"gexf": {...}, "igraph": {...}, "json": {...}, "edges": {reader: count}}.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

import igraph
import networkx as nx

out = sys.argv[1]
NS = "{http://graphml.graphdrawing.org/xmlns}"

# XML 1.0 section 2.3, NameChar.
NAME_CHAR = (
    ":A-Z_a-z\\-.0-9\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u203f-\u2040\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff"
    "\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
NMTOKEN = re.compile("[" + NAME_CHAR + "]+\\Z")


def token(value, what):
    assert value is not None and NMTOKEN.match(value), f"{what} {value!r} is not an NMTOKEN"


root = ET.parse(out + "/network.graphml").getroot()
keys = {}
for key in root.iter(NS + "key"):
    token(key.get("id"), "key id")
    token(key.get("attr.name"), "attr.name")
    assert key.get("attr.type") in {"boolean", "int", "long", "float", "double", "string"}, key.attrib
    assert key.get("id") not in keys, f"key id {key.get('id')} declared twice"
    keys[key.get("id")] = key.get("for")
names = [(k.get("for"), k.get("attr.name")) for k in root.iter(NS + "key")]
assert len(names) == len(set(names)), f"an attr.name is declared twice: {names}"
node_ids = set()
for node in root.iter(NS + "node"):
    token(node.get("id"), "node id")
    assert node.get("id") not in node_ids, f"node id {node.get('id')} twice"
    node_ids.add(node.get("id"))
for edge in root.iter(NS + "edge"):
    for end in ("source", "target"):
        token(edge.get(end), "edge " + end)
        assert edge.get(end) in node_ids, f"edge {end} {edge.get(end)!r} is no node"
    if edge.get("id") is not None:
        token(edge.get("id"), "edge id")
for element in ("node", "edge"):
    for item in root.iter(NS + element):
        for data in item.findall(NS + "data"):
            assert keys.get(data.get("key")) in (element, "all"), (
                f"<data key={data.get('key')!r}> in a {element} names no key declared for {element}s"
            )


def by_org(graph):
    seen = {}
    for _, data in graph.nodes(data=True):
        data = dict(data)
        seen[data["org_id"]] = data
    return seen


def typed(data):
    """Each value with its Python type's name, so the tests see numbers."""
    return {k: [type(v).__name__, v] for k, v in data.items()}


result = {"edges": {}}
g = nx.read_graphml(out + "/network.graphml")
result["graphml"] = {k: typed(v) for k, v in by_org(g).items()}
result["edges"]["graphml"] = g.number_of_edges()

g = nx.read_gexf(out + "/network.gexf")
result["gexf"] = {k: typed(v) for k, v in by_org(g).items()}
result["edges"]["gexf"] = g.number_of_edges()

with open(out + "/network.json", encoding="utf-8") as f:
    g = nx.node_link_graph(json.load(f), edges="links")
json_nodes = {}
for node, data in g.nodes(data=True):
    json_nodes[node] = typed(dict(data, id=node))
result["json"] = json_nodes
result["edges"]["json"] = g.number_of_edges()

ig = igraph.Graph.Read_GraphML(out + "/network.graphml")
ig_nodes = {}
for v in ig.vs:
    data = {k: val for k, val in v.attributes().items() if val is not None and val == val and val != ""}
    ig_nodes[data["org_id"]] = typed(data)
result["igraph"] = ig_nodes
result["edges"]["igraph"] = ig.ecount()

print(json.dumps(result, ensure_ascii=False))
