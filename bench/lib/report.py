"""Turns a benchmark's raw results (TSV: run, system, metric, value) into a markdown section of a document.

The section lies between "<!-- bench:NAME:begin -->" and "<!-- bench:NAME:end -->"; it is replaced if
present, appended otherwise, so each benchmark script owns exactly its section of docs/benchmarks.md.
Values shown are medians over runs; ratios are (median of a system) / (median of the baseline). Without a
baseline (nothing to compare with) there are no ratio columns and every system is checked against the targets.
"""
import argparse
import collections
import operator
import re
import statistics
from pathlib import Path

Metric = collections.namedtuple("Metric", "key label unit scale better target")
COMPARISONS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


def parse_metric(text):
    """key|label|unit|scale|better|target: better is higher, lower, or context (a condition of the run, not
    compared); target is "", "ratio>=5" or "value<500"."""
    key, label, unit, scale, better, target = text.split("|")
    if better not in ("higher", "lower", "context"):
        raise argparse.ArgumentTypeError(f"better must be higher, lower or context: {text}")
    if target and not re.fullmatch(r"(ratio|value)(>=|<=|>|<)[0-9.]+", target):
        raise argparse.ArgumentTypeError(f"target must look like ratio>=5 or value<500: {text}")
    return Metric(key, label, unit, float(scale), better, target)


def parse_system(text):
    key, label = text.split("=", 1)
    return key, label


def format_number(value):
    if value >= 100 or value == int(value):
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def target_met(metric, value, ratio):
    kind, comparison, threshold = re.fullmatch(r"(ratio|value)(>=|<=|>|<)([0-9.]+)", metric.target).groups()
    return COMPARISONS[comparison](ratio if kind == "ratio" else value, float(threshold))


def describe_target(metric, baseline_label):
    if not metric.target:
        return ""
    kind, comparison, threshold = re.fullmatch(r"(ratio|value)(>=|<=|>|<)([0-9.]+)", metric.target).groups()
    symbol = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}[comparison]
    if kind == "ratio":
        return f"{symbol} {threshold}× {baseline_label}"
    return f"{symbol} {threshold} {metric.unit}"


def render(args, values):
    systems = [s for s in args.system if s[0] in values]
    baseline_key, baseline_label = next((s for s in args.system if s[0] == args.baseline), (None, None))
    others = [s for s in systems if s[0] != baseline_key] if baseline_key else []
    runs = sorted({run for system in values.values() for metric in system.values() for run in metric})

    def median(system, metric):
        measured = values.get(system, {}).get(metric.key)
        return statistics.median(measured.values()) / metric.scale if measured else None

    ratio_note = f"Ratio = system / {baseline_label}; " if baseline_key else ""
    lines = [f"## {args.title}", "", Path(args.preamble).read_text().rstrip(), "",
             f"Medians of {len(runs)} run(s). {ratio_note}✓/✗ marks whether Eddy meets the target.", ""]
    header = ["Metric"] + [label for _, label in systems] + [f"{label} ratio" for _, label in others]
    header.append("Target")
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for metric in args.metric:
        baseline = median(baseline_key, metric) if baseline_key else None
        cells = [f"{metric.label} ({metric.unit})"]
        ratio_cells = []
        for key, _ in systems:
            value = median(key, metric)
            if value is None:
                cells.append("n/a")
                if baseline_key and key != baseline_key:
                    ratio_cells.append("n/a")
                continue
            ratio = value / baseline if baseline and metric.better != "context" else None
            mark = ""
            if key != baseline_key and metric.target:
                mark = " ✓" if target_met(metric, value, ratio) else " ✗"
            value_mark = mark if metric.target.startswith("value") else ""
            ratio_mark = mark if metric.target.startswith("ratio") else ""
            cells.append(format_number(value) + value_mark)
            if baseline_key and key != baseline_key:
                ratio_cells.append(("" if ratio is None else f"{ratio:.2f}×") + ratio_mark)
        lines.append("| " + " | ".join(cells + ratio_cells + [describe_target(metric, baseline_label)]) + " |")

    lines += ["", "<details><summary>Every run</summary>", "",
              "| Metric | System | " + " | ".join(f"run {run}" for run in runs) + " |",
              "|---|---|" + "---|" * len(runs)]
    for metric in args.metric:
        for key, label in systems:
            measured = values.get(key, {}).get(metric.key, {})
            row = [format_number(measured[run] / metric.scale) if run in measured else "n/a" for run in runs]
            lines.append(f"| {metric.label} ({metric.unit}) | {label} | " + " | ".join(row) + " |")
    lines += ["", "</details>"]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", required=True)
    parser.add_argument("--doc", required=True)
    parser.add_argument("--section", required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--preamble", required=True, help="file with markdown placed under the title")
    parser.add_argument("--baseline", help="system the others are compared with; none: no ratios")
    parser.add_argument("--system", type=parse_system, action="append", required=True, help="key=Label, in column order")
    parser.add_argument("--metric", type=parse_metric, action="append", required=True)
    args = parser.parse_args()
    if not args.baseline and any(metric.target.startswith("ratio") for metric in args.metric):
        parser.error("ratio targets need a --baseline")

    values = collections.defaultdict(lambda: collections.defaultdict(dict))
    for line in Path(args.raw).read_text().splitlines():
        run, system, metric, value = line.split("\t")
        values[system][metric][int(run)] = float(value)
    if args.baseline and args.baseline not in values:
        raise SystemExit(f"no results for the baseline {args.baseline}")

    begin, end = f"<!-- bench:{args.section}:begin -->", f"<!-- bench:{args.section}:end -->"
    section = f"{begin}\n{render(args, values)}\n{end}"
    doc = Path(args.doc)
    text = doc.read_text() if doc.exists() else ""
    if begin in text and end in text:
        text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + ("\n\n" if text else "") + section + "\n"
    doc.write_text(text)


if __name__ == "__main__":
    main()
