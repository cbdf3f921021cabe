"""A network as an HTML table (``Network._repr_html_``, shown by Jupyter)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from snn.core._network import Network

__all__ = ["network_html"]


def _table(title: str, head: list[str], rows: list[list[Any]]) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<b>{escape(title)}</b><table><tr>{cells}</tr>{body}</table>"


def network_html(net: Network) -> str:
    """A summary table: populations, projections, drives and monitors."""
    pops = [
        [
            p.name,
            type(p.model).__name__,
            f"{p.size:,}",
            p.first_id,
            ", ".join(v.name for v in p.model.state_vars),
        ]
        for p in net.populations
    ]
    projs = [
        [
            q.name,
            q.pre.name,
            f"{q.post.name}.{q.receptor}",
            type(q.rule).__name__,
            f"{q.n_synapses:,}",
            f"{q.weights().mean():.4g}" if q.n_synapses else "-",
            f"{q.delays().min():.4g}-{q.delays().max():.4g}" if q.n_synapses else "-",
        ]
        for q in net.projections
    ]
    drives = [[type(d.drive).__name__, d.target.name, d.receptor] for d in net._drives]
    monitors = [[type(m).__name__, m.target.name] for m in net._monitors]
    head = (
        f"<p><b>Network {escape(net.name)}</b>: {net.n_neurons:,} neurons, "
        f"{net.n_synapses:,} synapses, dt = {net.dt * 1e3:g} ms, seed {net.seed}, "
        f"t = {net.t:.6g} s, {net.n_ranks} rank(s) x {net.threads} thread(s)</p>"
    )
    parts = [head, _table("populations", ["name", "model", "size", "first id", "state"], pops)]
    if projs:
        columns = ["name", "pre", "post.receptor", "rule", "synapses", "mean weight"]
        parts.append(_table("projections", [*columns, "delays [s]"], projs))
    if drives:
        parts.append(_table("drives", ["drive", "target", "receptor"], drives))
    if monitors:
        parts.append(_table("monitors", ["monitor", "target"], monitors))
    return "".join(parts)
