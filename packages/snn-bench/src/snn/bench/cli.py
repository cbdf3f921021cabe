"""The ``snn-bench`` command: run the benchmark models and compare them with Brian2 and NEST.

::

    snn-bench run MODEL [--duration S] [--scale F] [--threads N] [--seed N] [--dtype T]
                        [--json PATH] [--plot PATH] [--equations]
    snn-bench compare MODEL --peers brian2,nest [--repeats N] [--duration S] [--scale F]
                            [--seed N] [--threads N] [--json PATH] [--equations]
    snn-bench sweep coba [--duration S] [--workers N] [--repeats N] [--json PATH]
    snn-bench startup MODEL [--fresh] [--repeats N] [--duration S] [--scale F]
                            [--baseline PYTHON] [--peers brian2,nest] [--json PATH]
    snn-bench grow [--repeats N] [--baseline PYTHON] [--json PATH]
    snn-bench accuracy [--models A,B] [--dt MS,MS] [--no-speed] [--output PATH]
    snn-bench floor [--models A,B] [--repeats N] [--steps N] [--json PATH]
    snn-bench list

``--equations`` (coba, cuba) builds the neurons from Brian2's equations (:mod:`snn.equations`),
(stdp) the plastic Brunel network's STDP rule;
``compare --equations`` runs the built-in model and the equation model side by side with the
peers. ``startup`` times whole ``snn-bench run`` processes with fresh or warm numba caches,
interleaved with another checkout's (``--baseline``) and the peers' processes; ``grow`` times
the compilation of a run after COBA gains a population of a kind its loop lacks, with every
kernel cached (:mod:`snn.bench._grow`); ``floor`` sets the neuron update of the LIF benchmark
models against the same step in a bare loop (:mod:`snn.bench._floor`).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]

MODEL_NAMES = ("coba", "cuba", "brunel", "cobahh", "stdp", "microcircuit", "digits")
#: the name of the equation runs in ``compare --equations``
EQUATIONS = "snn-eq"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", choices=MODEL_NAMES, help="benchmark model")
    p.add_argument("--duration", type=float, default=1.0, help="biological time [s] (default 1)")
    p.add_argument("--scale", type=float, default=1.0, help="network size factor (default 1)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--threads", type=int, default=1, help="threads (default 1)")
    p.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    p.add_argument(
        "--equations",
        action="store_true",
        help="build the neurons (coba, cuba) or the STDP rule (stdp) from equations; compare: "
        "also the built-in",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="snn-bench", description="Benchmark models of snn, and comparisons with peers."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="build, run and summarise one model")
    _common(run)
    run.add_argument(
        "--dtype",
        choices=("float64", "float32"),
        default="float64",
        help="state precision (default float64)",
    )
    run.add_argument("--plot", type=Path, default=None, help="save a raster plot (PNG, PDF...)")
    run.add_argument("--progress", action="store_true", help="show a progress bar")
    run.add_argument(
        "--mpi",
        action="store_true",
        help="run under mpiexec (required there): report per-rank and whole-network figures",
    )
    cmp = sub.add_parser("compare", help="run snn and peer simulators side by side")
    _common(cmp)
    cmp.add_argument("--peers", default="brian2,nest", help="comma-separated: brian2, nest")
    cmp.add_argument("--repeats", type=int, default=3, help="alternating repeats (default 3)")
    cmp.add_argument("--timeout", type=float, default=3600.0, help="per run [s]")
    sc = sub.add_parser(
        "scaling", help="predict strong and weak scaling to 1024 ranks from a profiled run"
    )
    sc.add_argument("model", choices=MODEL_NAMES, help="benchmark model")
    sc.add_argument("--duration", type=float, default=1.0, help="biological time [s]")
    sc.add_argument("--scale", type=float, default=1.0, help="network size factor")
    sc.add_argument("--seed", type=int, default=1, help="random seed")
    sc.add_argument("--alpha", type=float, default=None, help="collective latency [s]")
    sc.add_argument("--beta", type=float, default=None, help="seconds per byte received")
    sc.add_argument("--python", type=float, default=None, help="Python cost per slice [s]")
    sc.add_argument("--sigma", type=float, default=None, help="per-slice jitter [s]")
    sc.add_argument(
        "--measured",
        type=Path,
        action="append",
        default=[],
        help="JSON of a run on K ranks (snn-bench run --mpi --json) to compare with",
    )
    sc.add_argument("--json", type=Path, default=None, help="write the prediction here")
    sub.add_parser(
        "mpi-constants", help="under mpiexec: measure this machine's MPI latency and bandwidth"
    )
    fig = sub.add_parser(
        "figures",
        help="run Brian2 and NEST on the stored-figure configurations (needs the peers group)",
    )
    fig.add_argument(
        "--out", type=Path, default=Path("tests/data/peer_figures.json"), help="JSON to update"
    )
    fig.add_argument("--models", default=None, help="comma-separated subset of the models")
    sw = sub.add_parser(
        "sweep", help="set a value and run again; a 64-point sweep on 1 and several processes"
    )
    sw.add_argument("model", choices=("coba",), help="benchmark model")
    sw.add_argument("--duration", type=float, default=1.0, help="per point [s] (default 1)")
    sw.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    sw.add_argument("--repeats", type=int, default=3, help="alternating repeats (default 3)")
    sw.add_argument("--live-repeats", type=int, default=30, help="set-and-run repeats")
    sw.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    st = sub.add_parser(
        "startup", help="time whole `snn-bench run` processes (imports, compilation, exit)"
    )
    st.add_argument("model", choices=MODEL_NAMES[:-1], help="benchmark model")
    st.add_argument("--duration", type=float, default=1.0, help="biological time [s] (default 1)")
    st.add_argument("--scale", type=float, default=1.0, help="network size factor (default 1)")
    st.add_argument("--repeats", type=int, default=3, help="measured processes (default 3)")
    st.add_argument(
        "--fresh",
        action="store_true",
        help="empty numba caches for every run, as after installing (default: warm caches)",
    )
    st.add_argument(
        "--baseline",
        default=None,
        help="interpreter of another snn checkout (its .venv/bin/python) to time side by side",
    )
    st.add_argument(
        "--peers", default="", help="comma-separated peers timed side by side: brian2, nest"
    )
    st.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    gr = sub.add_parser(
        "grow", help="compilation when COBA gains a population of a new kind, kernels cached"
    )
    gr.add_argument("--repeats", type=int, default=3, help="measured pairs of processes")
    gr.add_argument(
        "--baseline",
        default=None,
        help="interpreter of another snn checkout (its .venv/bin/python) to time side by side",
    )
    gr.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    dr = sub.add_parser(
        "drives", help="ns per draw of the Poisson drive's kernel at the benchmark models' rates"
    )
    dr.add_argument("--neurons", type=int, default=12500, help="block size (default 12500)")
    dr.add_argument("--steps", type=int, default=800, help="steps per repeat (default 800)")
    dr.add_argument("--repeats", type=int, default=7, help="timed repeats (default 7)")
    dr.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    acc = sub.add_parser(
        "accuracy",
        help="spike-time error of every neuron model's methods against an adaptive reference",
    )
    acc.add_argument("--models", default=None, help="comma-separated model names (default all)")
    acc.add_argument(
        "--dt", default="0.025,0.1,0.25", help="comma-separated time steps [ms] (default "
        "0.025,0.1,0.25)"
    )  # fmt: skip
    acc.add_argument("--no-speed", action="store_true", help="skip the speed measurements")
    acc.add_argument("--output", type=Path, default=None, help="write the Markdown table here")
    fl = sub.add_parser(
        "floor", help="ns per neuron and step of the LIF models' update: engine and bare loop"
    )
    fl.add_argument(
        "--models", default="brunel,cuba,coba", help="comma-separated (default brunel,cuba,coba)"
    )
    fl.add_argument("--repeats", type=int, default=5, help="alternating repeats (default 5)")
    fl.add_argument("--steps", type=int, default=2000, help="bare-loop steps (default 2000)")
    fl.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    sub.add_parser("list", help="list the models")
    return parser


def _fmt_rates(rates: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f} Hz" for k, v in rates.items())


def _summary(rec: dict[str, Any]) -> str:
    lines = [
        f"snn-bench run {rec['model']}: scale {rec['scale']}, seed {rec['seed']}, "
        f"{rec['ranks']} rank(s) x {rec['threads']} thread(s)"
        f"{' (parallel loop)' if rec['parallel'] else ''}, {rec['dtype']}",
        f"  neurons           {rec['n_neurons']:,}",
        f"  synapses          {rec['n_synapses']:,} ({rec['bytes_per_synapse']:.2f} bytes each)",
        f"  build             {rec['build_s']:.3f} s",
        f"  compile           {rec['compile_s']:.3f} s (numba; cached after the first run)"
        + (
            f", of which {rec['info_equations_s']:.3f} s reading and analysing the equations"
            if rec.get("equations")
            else ""
        ),
        f"  simulate          {rec['sim_s']:.3f} s for {rec['bio_s']:g} s of biological time "
        f"(real-time factor {rec['rtf']:.3f})",
        f"  synaptic events   {rec['synaptic_events']:,} ({rec['events_per_s']:.3g} per second)",
        f"  rates             {_fmt_rates(rec['rates_hz'])}",
        f"  spikes            {rec['n_spikes']:,} (sha256 {rec['spikes_sha256'][:16]}...)",
        f"  peak memory       {rec['peak_rss_mb']:.0f} MiB (largest rank)",
    ]
    if "cv_isi" in rec:
        cvs = ", ".join(f"{k} {v:.2f}" for k, v in rec["cv_isi"].items())
        lines.append(f"  CV of ISI         {cvs} (mean over neurons with >= 3 spikes)")
    if "mean_weight_mV" in rec:
        lines.append(f"  mean E-E weight   {rec['mean_weight_mV']:.5f} mV (readout sample)")
    if rec["ranks"] > 1:
        for r in rec["per_rank"]:
            lines.append(
                f"  rank {r['rank']:<3d}          {r['n_synapses']:,} synapses, build "
                f"{r['build_s']:.3f} s, simulate {r['sim_s']:.3f} s, "
                f"{r['synaptic_events']:,} events"
            )
    return "\n".join(lines)


def _cmd_digits(args: argparse.Namespace) -> int:
    """``snn-bench run digits``: the Diehl & Cook-style STDP demo (:mod:`snn.bench.digits`)."""
    from snn.bench.digits import main

    n_exc = max(10, round(200 * args.scale))
    print(f"snn-bench run digits: {n_exc} excitatory neurons (200 x --scale), seed {args.seed}")
    result = main(n_exc=n_exc, seed=args.seed, plot=args.plot)
    if args.json is not None:
        fields = ("accuracy", "baseline", "train_seconds", "test_seconds", "n_exc", "seed")
        args.json.write_text(json.dumps({k: getattr(result, k) for k in fields}, indent=2) + "\n")
        print(f"  figures written to {args.json}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    if args.model == "digits":
        return _cmd_digits(args)
    from snn.bench._models import EQUATION_MODELS
    from snn.bench._run import run_model

    if args.equations and args.model not in EQUATION_MODELS:
        print(
            f"snn-bench: --equations is available for {', '.join(EQUATION_MODELS)}.",
            file=sys.stderr,
        )
        return 2
    from snn.core.mpi import world

    comm = world()
    if comm.active and not args.mpi:
        if comm.rank == 0:
            print("snn-bench: started by mpiexec; add --mpi to run on all ranks.", file=sys.stderr)
        return 2
    record, model = run_model(
        args.model,
        duration=args.duration,
        scale=args.scale,
        seed=args.seed,
        threads=args.threads,
        dtype=args.dtype,
        progress=args.progress,
        traces=3 if args.plot is not None and not comm.active else 0,
        equations=args.equations,
    )
    if record is None:  # not rank 0
        return 0
    print(_summary(record))
    if args.json is not None:
        args.json.write_text(json.dumps(record, indent=2) + "\n")
        print(f"  figures written to {args.json}")
    if args.plot is not None:
        if comm.active:
            print("  --plot is ignored under MPI (monitors hold each rank's neurons).")
        else:
            from snn.viz import run_summary

            fig = run_summary(
                model.monitors,
                states=model.traces,
                groups=model.groups,
                t_start=model.transient,
                t_stop=model.transient + args.duration,
                title=f"{args.model}: {_fmt_rates(record['rates_hz'])}",
            )
            fig.savefig(args.plot, dpi=150)
            print(f"  run summary plot written to {args.plot}")
    return 0


def _run_ours(args: argparse.Namespace, out: Path, equations: bool = False) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        "snn.bench",
        "run",
        args.model,
        "--duration",
        repr(args.duration),
        "--scale",
        repr(args.scale),
        "--seed",
        str(args.seed),
        "--threads",
        str(args.threads),
        "--json",
        str(out),
        *(["--equations"] if equations else []),
    ]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, timeout=args.timeout)
    return json.loads(out.read_text())


def _peers_available(peers: Sequence[str] = ("brian2", "nest"), command: str = "figures") -> bool:
    """Whether the peer simulators are importable; if not, say how to install them."""
    missing = [p for p in peers if importlib.util.find_spec(p) is None]
    if missing:
        print(
            f"snn-bench: {', '.join(missing)} not installed. Install the peers with\n"
            f"    uv run --group peers snn-bench {command} ...\n"
            "from the workspace, or `pip install 'snn-bench[peers]'` "
            "(brian2 2.9 needs numpy < 2.4).",
            file=sys.stderr,
        )
    return not missing


def _cmd_compare(args: argparse.Namespace) -> int:
    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = [p for p in peers if p not in ("brian2", "nest")]
    if unknown:
        print(f"snn-bench: unknown peer(s) {unknown}; choose brian2 and/or nest.", file=sys.stderr)
        return 2
    if not _peers_available(peers, args.command):
        return 2
    from snn.bench.peers import PEER_MODELS

    unable = [p for p in peers if args.model not in PEER_MODELS[p]]
    if unable:
        able = [p for p, models in PEER_MODELS.items() if args.model in models]
        print(
            f"snn-bench: no {args.model!r} runner for {', '.join(unable)}; "
            f"{args.model!r} compares with {', '.join(able) or 'no peer'}.",
            file=sys.stderr,
        )
        return 2
    from snn.bench._models import EQUATION_MODELS
    from snn.bench.peers import run_peer

    if args.equations and args.model not in EQUATION_MODELS:
        print(
            f"snn-bench: --equations is available for {', '.join(EQUATION_MODELS)}.",
            file=sys.stderr,
        )
        return 2
    ours = ["snn", *([EQUATIONS] if args.equations else [])]
    results: dict[str, list[dict[str, Any]]] = {o: [] for o in ours}
    results.update({p: [] for p in peers})
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeats):
            results["snn"].append(_run_ours(args, Path(tmp) / f"snn{r}.json"))
            if args.equations:
                out = Path(tmp) / f"eq{r}.json"
                results[EQUATIONS].append(_run_ours(args, out, equations=True))
            for p in peers:
                results[p].append(
                    run_peer(
                        p,
                        args.model,
                        scale=args.scale,
                        duration=args.duration,
                        seed=args.seed,
                        threads=args.threads,
                        timeout=args.timeout,
                    )
                )
            print(f"  repeat {r + 1}/{args.repeats} done", file=sys.stderr)
    report = _compare_report(args, results)
    print(report["text"])
    if args.json is not None:
        args.json.write_text(json.dumps(report["data"], indent=2) + "\n")
        print(f"  figures written to {args.json}")
    return 0


def _median(recs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(float(r[key]) for r in recs))


def _compare_report(args: argparse.Namespace, results: dict[str, list[dict[str, Any]]]) -> dict:
    lines = [
        f"snn-bench compare {args.model}: scale {args.scale}, {args.duration:g} s, seed "
        f"{args.seed}, {args.threads} thread(s), {args.repeats} alternating repeats (medians)",
        f"  {'':8s} {'sim [s]':>9s} {'build [s]':>9s} {'compile [s]':>11s} "
        f"{'synapses':>11s}  rates",
    ]
    data: dict[str, Any] = {
        "model": args.model,
        "scale": args.scale,
        "bio_s": args.duration,
        "seed": args.seed,
        "threads": args.threads,
        "repeats": args.repeats,
        "runs": results,
        "ratios": {},
    }
    for name, recs in results.items():
        rates = {k: statistics.median(r["rates_hz"][k] for r in recs) for k in recs[0]["rates_hz"]}
        weight = (
            f", mean weight {_median(recs, 'mean_weight_mV'):.5f} mV"
            if "mean_weight_mV" in recs[0]
            else ""
        )
        lines.append(
            f"  {name:8s} {_median(recs, 'sim_s'):9.3f} {_median(recs, 'build_s'):9.3f} "
            f"{_median(recs, 'compile_s'):11.3f} {int(recs[0]['n_synapses']):11,d}  "
            f"{_fmt_rates(rates)}{weight}"
        )
    for mine in [m for m in ("snn", EQUATIONS) if m in results]:
        for name, recs in results.items():
            if name in ("snn", mine):
                continue
            sim = _median(results[mine], "sim_s") / _median(recs, "sim_s")
            build = _median(results[mine], "build_s") / max(_median(recs, "build_s"), 1e-12)
            comp = _median(results[mine], "compile_s") / max(_median(recs, "compile_s"), 1e-12)
            data["ratios"][f"{mine} / {name}"] = {"sim": sim, "build": build, "compile": comp}
            lines.append(
                f"  {mine} / {name}: simulation {sim:.3f}x, build {build:.3f}x, compile {comp:.3f}x"
            )
            if name == "brian2" and args.threads == 1:
                # Brian2's loop timer is CPU time without OpenMP; on a loaded machine compare
                # like with like: CPU with CPU, and wall with Brian2's wall time of its run call
                cpu = _median(results[mine], "sim_cpu_s") / _median(recs, "sim_s")
                wall = _median(results[mine], "sim_s") / statistics.median(
                    r["details"]["run_call_s"] for r in recs
                )
                data["ratios"][f"{mine} / {name}"].update(sim_cpu=cpu, sim_wall=wall)
                lines.append(
                    f"  {mine} / {name}: simulation CPU time {cpu:.3f}x, "
                    f"wall time {wall:.3f}x (Brian2's run call)"
                )
    return {"text": "\n".join(lines), "data": data}


def _cmd_startup(args: argparse.Namespace) -> int:
    from snn.bench._startup import measure_startup, startup_report

    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    if peers and not _peers_available(peers, "startup"):
        return 2
    result = measure_startup(
        args.model,
        duration=args.duration,
        scale=args.scale,
        repeats=args.repeats,
        fresh=args.fresh,
        baseline=args.baseline,
        peers=peers,
    )
    print(startup_report(result))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"  figures written to {args.json}")
    return 0


def _cmd_drives(args: argparse.Namespace) -> int:
    from snn.bench._drives import drives_report, measure_drives

    result = measure_drives(n=args.neurons, steps=args.steps, repeats=args.repeats)
    print(drives_report(result))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"  figures written to {args.json}")
    return 0


def _cmd_floor(args: argparse.Namespace) -> int:
    from snn.bench._floor import FLOOR_MODELS, floor_report, measure_floor

    models = tuple(m for m in args.models.split(",") if m)
    unknown = [m for m in models if m not in FLOOR_MODELS]
    if unknown or not models:
        print(f"--models: choose from {', '.join(FLOOR_MODELS)}; got {args.models!r}")
        return 2
    result = measure_floor(models=models, repeats=args.repeats, steps=args.steps)
    print(floor_report(result))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"  figures written to {args.json}")
    return 0


def _cmd_scaling(args: argparse.Namespace) -> int:
    from snn.bench._run import run_model
    from snn.bench._scaling import as_dict, from_run, measure_row_visit, predict, with_machine

    record, _ = run_model(
        args.model, duration=args.duration, scale=args.scale, seed=args.seed, profile=True
    )
    assert record is not None
    params = from_run(record, record["phases"], t_row=measure_row_visit())
    changes = {
        k: v
        for k, v in (
            ("alpha", args.alpha),
            ("beta", args.beta),
            ("t_python", args.python),
            ("sigma_slice", args.sigma),
        )
        if v is not None
    }
    params = with_machine(params, **changes)
    print(f"snn-bench scaling {args.model} (scale {args.scale}): model constants")
    for k, v in as_dict(params).items():
        print(f"  {k:18s} {v:.4g}")
    ranks = [2**k for k in range(11)]
    print(
        f"  {'ranks':>6s} {'strong [s/bio s]':>17s} {'speed-up':>9s} {'weak [s/bio s]':>15s}"
        f" {'efficiency':>11s}"
    )
    table = []
    base = predict(params, 1)["total"]
    for k in ranks:
        strong = predict(params, k)
        weak = predict(params, k, weak=True)
        table.append({"ranks": k, "strong": strong, "weak": weak})
        print(
            f"  {k:6d} {strong['total']:17.4f} {base / strong['total']:9.2f} "
            f"{weak['total']:15.4f} {base / weak['total']:11.2f}"
        )
    for path in args.measured:
        other = json.loads(path.read_text())
        k = int(other["ranks"])
        pred = predict(params, k)["total"]
        print(
            f"  measured on {k} ranks: {other['sim_s']:.4f} s, predicted {pred:.4f} s "
            f"({100 * (pred / other['sim_s'] - 1):+.0f} %)"
        )
    if args.json is not None:
        args.json.write_text(json.dumps({"constants": as_dict(params), "table": table}, indent=2))
    return 0


def _cmd_mpi_constants() -> int:
    from snn.core.mpi import world

    comm = world()
    if not comm.active:
        print(
            "snn-bench mpi-constants: run it under mpiexec with 2 or more ranks.", file=sys.stderr
        )
        return 2
    alpha, beta = comm.measure_collectives(spikes=1000)
    if comm.rank == 0:
        print(f"alpha {alpha:.3g} s per log2 step, beta {beta:.3g} s per byte ({comm.size} ranks)")
    return 0


def _cmd_figures(args: argparse.Namespace) -> int:
    from snn.bench.figures import CONFIGS, record

    chosen = CONFIGS
    if args.models:
        names = {m.strip() for m in args.models.split(",")}
        chosen = tuple(c for c in CONFIGS if c.model in names)
    if not _peers_available():
        return 2
    record(args.out, configs=chosen)
    print(f"figures of {len(chosen)} configurations written to {args.out}")
    return 0


def _cmd_accuracy(args: argparse.Namespace) -> int:
    import os
    import platform

    from snn.bench._accuracy import SPECS, TABLE_HEAD, accuracy_rows

    names = args.models.split(",") if args.models else list(SPECS)
    unknown = [n for n in names if n not in SPECS]
    if unknown:
        print(
            f"snn-bench accuracy: unknown model(s) {unknown}; known: {list(SPECS)}", file=sys.stderr
        )
        return 2
    dts = [float(x) * 1e-3 for x in args.dt.split(",")]
    load = os.getloadavg()[0]
    rows = [TABLE_HEAD]
    print(TABLE_HEAD, flush=True)
    for row in accuracy_rows(names, dts, speed=not args.no_speed):
        print(row, flush=True)
        rows.append(row)
    footer = (
        f"\nMachine: {platform.machine()}, {os.cpu_count()} cores; load average "
        f"{load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end.\n"
    )
    print(footer)
    if args.output is not None:
        args.output.write_text("\n".join(rows) + "\n" + footer)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``snn-bench``."""
    code = _dispatch(_parser().parse_args(argv))
    if argv is None:
        # The process ends next. Python's final garbage collections would visit every object
        # numba made (0.3 s of CPU after a cached COBA run, 1.2 s of wall time at load 9);
        # frozen objects are skipped, and their memory is released with the process anyway.
        gc.freeze()
    return code


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "list":
        for name in MODEL_NAMES:
            print(name)
        return 0
    if args.command == "run":
        return _cmd_run(args)
    if args.command == "scaling":
        return _cmd_scaling(args)
    if args.command == "startup":
        return _cmd_startup(args)
    if args.command == "grow":
        from snn.bench._grow import grow_report, measure_grow

        result = measure_grow(repeats=args.repeats, baseline=args.baseline)
        print(grow_report(result))
        if args.json is not None:
            args.json.write_text(json.dumps(result, indent=2) + "\n")
        return 0
    if args.command == "mpi-constants":
        return _cmd_mpi_constants()
    if args.command == "figures":
        return _cmd_figures(args)
    if args.command == "sweep":
        from snn.bench._sweeps import main as sweep_main
        from snn.bench._sweeps import write

        record = sweep_main(
            duration=args.duration,
            workers=args.workers,
            repeats=args.repeats,
            live_repeats=args.live_repeats,
        )
        if args.json is not None:
            write(record, args.json)
            print(f"  figures written to {args.json}")
        return 0
    if args.command == "accuracy":
        return _cmd_accuracy(args)
    if args.command == "floor":
        return _cmd_floor(args)
    if args.command == "drives":
        return _cmd_drives(args)
    return _cmd_compare(args)


if __name__ == "__main__":
    sys.exit(main())
