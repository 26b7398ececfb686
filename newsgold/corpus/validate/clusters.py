"""Cluster checks: ids, declarations, kinds of members, one event type per hopper."""

from __future__ import annotations

from newsgold.corpus.validate.report import _Where
from newsgold.corpus.validate.spans import _Read
from newsgold.model import ENTITY, TIMEX, TRIGGER

# values never corefer (guidelines 9.1, v1.2): a value in a cluster is an error
CLUSTER_KINDS = {"entity": (ENTITY, TIMEX), "hopper": (TRIGGER,)}
#: at most this many token mismatches are listed one by one; the rest are counted


def _check_clusters(read: _Read, w: _Where) -> None:
    ann = read.ann
    declared: dict[str, int] = {}  # cluster id -> index in task["clusters"]
    kinds: dict[str, str] = {}
    for c, k in zip(ann.clusters, read.cluster_index, strict=True):
        f = f"clusters[{k}]"
        if c.id in declared:
            w.error(
                f"cluster id {c.id!r} is also declared by clusters[{declared[c.id]}]", f + ".id"
            )
            continue
        declared[c.id] = k
        kinds[c.id] = c.kind if isinstance(c.kind, str) else repr(c.kind)
        if kinds[c.id] not in CLUSTER_KINDS:
            w.error(f"cluster kind {c.kind!r}; one of {', '.join(CLUSTER_KINDS)}", f + ".kind")
    where = {id(m): i for m, i in zip(ann.mentions, read.span_index, strict=True)}
    members = ann.cluster_members()
    for cid, mentions in members.items():
        if cid not in declared:
            for m in mentions:
                w.error(
                    f"cluster {cid!r} is not declared in 'clusters'",
                    f"spans[{where[id(m)]}].cluster",
                )
    for cid, k in declared.items():
        f = f"clusters[{k}]"
        mentions = members.get(cid, [])
        if not mentions:
            w.error(f"cluster {cid!r} has no mentions", f)
            continue
        allowed = CLUSTER_KINDS.get(kinds[cid])
        if allowed is None:
            continue
        for m in mentions:
            if m.kind not in allowed:
                w.error(
                    f"{m.kind} span in {kinds[cid]} cluster {cid!r}; it holds only "
                    + "/".join(allowed),
                    f"spans[{where[id(m)]}].cluster",
                )
        if kinds[cid] == "hopper":
            types = sorted({m.label for m in mentions if m.kind == TRIGGER})
            if len(types) > 1:
                w.error(f"hopper {cid!r} mixes event types {', '.join(types)}", f)
